"""URLs of case conferencing."""

from django.urls import path

from ancrage.conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.table_list, name="tables"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("tables/<int:pk>/", views.table_detail, name="table"),
    path("tables/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("tables/<int:pk>/meetings/plan/", views.meetings_plan, name="meetings_plan"),
    path("tables/<int:pk>/propose/", views.propose, name="propose"),
    path("tables/<int:pk>/parking/add/", views.parking_add, name="parking_add"),
    path("tables/<int:pk>/attendance/", views.attendance_report, name="attendance"),
    path("parking/<int:pk>/update/", views.parking_update, name="parking_update"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/roles/", views.meeting_roles, name="meeting_roles"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/agenda/send/", views.agenda_send, name="agenda_send"),
    path("meetings/<int:pk>/close/", views.minutes_close, name="minutes_close"),
    path("meetings/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("meetings/<int:pk>/items/<int:item_pk>/", views.item_screen, name="item"),
    path("meetings/<int:pk>/items/<int:item_pk>/actions/add/", views.action_add, name="action_add"),
]
