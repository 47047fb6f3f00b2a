"""URLs of case management: caseload (enrollments, assignments, caseloads of the teams)."""

from django.urls import URLPattern, path

from ancrage.casework import views_caseload as views

urlpatterns: list[URLPattern] = [
    path("casework/caseloads/", views.caseloads, name="caseloads"),
    path("participants/<int:pk>/casework/", views.participant, name="participant"),
    path("participants/<int:pk>/casework/enroll/", views.enroll, name="enroll"),
    path("participants/<int:pk>/casework/assign/", views.assign, name="assign"),
    path("participants/<int:pk>/casework/settings/", views.enrollment_settings, name="enrollment_settings"),
]
