"""URLs of case management: my caseload and the daily team meeting (G4)."""

from django.urls import URLPattern, path

from ancrage.casework import views_meeting

urlpatterns: list[URLPattern] = [
    path("casework/", views_meeting.caseload, name="caseload"),
    path("casework/meeting/", views_meeting.meeting, name="meeting"),
    path("casework/meeting/<int:team_pk>/order/", views_meeting.meeting_settings, name="meeting_settings"),
]
