"""URLs of lost contact and re-engagement (B12)."""

from django.urls import URLPattern, path

from ancrage.casework.reengagement import views

urlpatterns: list[URLPattern] = [
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
