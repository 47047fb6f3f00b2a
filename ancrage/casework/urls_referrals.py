"""URLs of case management: the directory of services, referrals out, incidents, on-call and lost contact."""

from django.urls import URLPattern, path

from ancrage.casework import views_referrals as views

urlpatterns: list[URLPattern] = [
    path("casework/services/", views.provider_list, name="provider_list"),
    path("casework/services/new/", views.provider_create, name="provider_create"),
    path("casework/services/<int:provider_pk>/edit/", views.provider_edit, name="provider_edit"),
    path("casework/services/<int:provider_pk>/refer/", views.provider_refer, name="provider_refer"),
    path("participants/<int:pk>/referrals/", views.referral_list, name="referral_list"),
    path("participants/<int:pk>/referrals/new/", views.referral_create, name="referral_create"),
    path(
        "participants/<int:pk>/referrals/<int:referral_pk>/step/", views.referral_step, name="referral_step"
    ),
    path("participants/<int:pk>/incidents/", views.incident_list, name="incident_list"),
    path("participants/<int:pk>/incidents/new/", views.incident_create, name="incident_create"),
    path("casework/on-call/", views.on_call, name="on_call"),
    path("casework/on-call/new/", views.on_call_create, name="on_call_create"),
    path("casework/on-call/shifts/new/", views.on_call_shift, name="on_call_shift"),
    path("participants/<int:pk>/reengagement/", views.reengagement, name="reengagement"),
    path("participants/<int:pk>/reengagement/start/", views.reengagement_start, name="reengagement_start"),
    path("participants/<int:pk>/reengagement/tasks/new/", views.outreach_task_add, name="outreach_task_add"),
    path(
        "participants/<int:pk>/reengagement/tasks/<int:task_pk>/done/",
        views.outreach_task_done,
        name="outreach_task_done",
    ),
    path("participants/<int:pk>/reengagement/close/", views.reengagement_close, name="reengagement_close"),
]
