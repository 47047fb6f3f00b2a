"""URLs of case management: exits, assessment schedules, due assessments and progress over time."""

from django.urls import URLPattern, path

from ancrage.casework import views_exits

urlpatterns: list[URLPattern] = [
    path("casework/schedules/", views_exits.schedule_list, name="schedule_list"),
    path("casework/schedules/<int:program_pk>/", views_exits.schedule_edit, name="schedule_edit"),
    path("casework/assessments-due/", views_exits.assessments_due, name="assessments_due"),
    path("participants/<int:pk>/progress/", views_exits.progress, name="progress"),
    path("participants/<int:pk>/exit/", views_exits.exit_create, name="exit_create"),
    path("participants/<int:pk>/exits/<int:exit_pk>/", views_exits.exit_detail, name="exit_detail"),
]
