"""URLs of housing."""

from django.urls import path

from ancrage.housing import views

app_name = "housing"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/hold/", views.unit_hold, name="unit_hold"),
    path("units/<int:pk>/release/", views.unit_release, name="unit_release"),
    path("units/<int:pk>/offer/", views.unit_offer, name="unit_offer"),
]
