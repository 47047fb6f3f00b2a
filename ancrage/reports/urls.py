"""Addresses of the reports: outcomes, fidelity and the funder's monthly reports (G5, G6, A7, C9)."""

from django.urls import path

from ancrage.reports import views
from ancrage.reports.outcomes import views as outcomes_views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    # Outcomes (G5, C9, A7).
    path("outcomes/", outcomes_views.outcomes, name="outcomes"),
    path("outcomes/people/", outcomes_views.outcomes_people, name="outcomes_people"),
    path("outcomes/export/", outcomes_views.outcomes_export, name="outcomes_export"),
    path("outcomes/pdf/", outcomes_views.outcomes_pdf_view, name="outcomes_pdf"),
]
