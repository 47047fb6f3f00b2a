"""URLs of a participant's assessments (under /participants/)."""

from django.urls import path

from ancrage.assessments import views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/assessments/", views.administration_list, name="list"),
    path("<int:pk>/assessments/new/", views.administration_start, name="start"),
    path("<int:pk>/assessments/<int:administration_pk>/", views.administration_administer, name="administer"),
    path("<int:pk>/assessments/<int:administration_pk>/close/", views.administration_close, name="close"),
    path("<int:pk>/assessments/<int:administration_pk>/result/", views.administration_result, name="result"),
]
