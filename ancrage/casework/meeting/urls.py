"""URLs of the team meeting and the caseload summary."""

from django.urls import URLPattern, path

from ancrage.casework.meeting import views

urlpatterns: list[URLPattern] = [
    path("casework/", views.caseload, name="caseload"),
    path("casework/meeting/", views.meeting, name="meeting"),
    path("casework/meeting/<int:team_pk>/order/", views.meeting_settings, name="meeting_settings"),
]
