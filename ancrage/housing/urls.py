"""URLs of housing."""

from django.urls import path

from ancrage.housing import views

app_name = "housing"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
]
