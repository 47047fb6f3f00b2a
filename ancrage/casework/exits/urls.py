"""URLs of exits, assessment schedules and progress (F1..F4)."""

from django.urls import URLPattern, path

from ancrage.casework.exits import views

urlpatterns: list[URLPattern] = [
    path("casework/schedules/", views.schedule_list, name="schedule_list"),
    path("casework/schedules/<int:program_pk>/", views.schedule_edit, name="schedule_edit"),
    path("casework/assessments-due/", views.assessments_due, name="assessments_due"),
    path("participants/<int:pk>/progress/", views.progress, name="progress"),
    path("participants/<int:pk>/exit/", views.exit_create, name="exit_create"),
    path("participants/<int:pk>/exits/<int:exit_pk>/", views.exit_detail, name="exit_detail"),
]
