"""Addresses of the reports: outcomes, fidelity and the funder's monthly reports (G5, G6, A7, C9)."""

from django.urls import path

from ancrage.reports import views
from ancrage.reports.fidelity import views as fidelity

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    # Housing First fidelity (G5)
    path("fidelity/", fidelity.fidelity, name="fidelity"),
    path("fidelity/assess/", fidelity.fidelity_assess, name="fidelity_assess"),
    path("fidelity/people/", fidelity.fidelity_people, name="fidelity_people"),
    path("fidelity/export/", fidelity.fidelity_export, name="fidelity_export"),
    path("fidelity/pdf/", fidelity.fidelity_pdf, name="fidelity_pdf"),
]
