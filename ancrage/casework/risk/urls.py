"""URLs of risk assessments and plans, incidents and on-call (B8, B9, B10)."""

from django.urls import URLPattern, path

from ancrage.casework.risk import views

urlpatterns: list[URLPattern] = [
    path("participants/<int:pk>/risk/", views.risk_list, name="risk_list"),
    path("participants/<int:pk>/risk/new/", views.risk_create, name="risk_create"),
    path("participants/<int:pk>/risk/<int:risk_pk>/end/", views.risk_end, name="risk_end"),
    path("participants/<int:pk>/incidents/", views.incident_list, name="incident_list"),
    path("participants/<int:pk>/incidents/new/", views.incident_create, name="incident_create"),
    path("casework/on-call/", views.on_call, name="on_call"),
    path("casework/on-call/new/", views.on_call_create, name="on_call_create"),
    path("casework/on-call/shifts/new/", views.on_call_shift, name="on_call_shift"),
]
