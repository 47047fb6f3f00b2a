"""URLs of enrollments, assignments and caseloads."""

from django.urls import URLPattern, path

from ancrage.casework.caseload import views

urlpatterns: list[URLPattern] = [
    path("casework/caseloads/", views.caseloads, name="caseloads"),
    path("participants/<int:pk>/casework/", views.participant, name="participant"),
    path("participants/<int:pk>/casework/enroll/", views.enroll, name="enroll"),
    path("participants/<int:pk>/casework/assign/", views.assign, name="assign"),
    path("participants/<int:pk>/casework/settings/", views.enrollment_settings, name="enrollment_settings"),
]
