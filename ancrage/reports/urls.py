"""Addresses of the reports: outcomes, fidelity and the funder's monthly reports (G5, G6, A7, C9)."""

from django.urls import path

from ancrage.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
]
