"""Addresses of the reports: outcomes, fidelity and the funder's monthly reports (G5, G6, A7, C9)."""

from django.urls import path

from ancrage.reports import views
from ancrage.reports.fidelity import views as fidelity
from ancrage.reports.funder import views as funder_views
from ancrage.reports.outcomes import views as outcomes_views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    # The monthly funder reports, kept, and the cost per participant (G6).
    path("funder/", funder_views.funder_list, name="funder_list"),
    path("funder/costs/", funder_views.funder_costs, name="funder_costs"),
    path("funder/<int:pk>/", funder_views.funder_detail, name="funder_detail"),
    path("funder/<int:pk>/pdf/", funder_views.funder_pdf, name="funder_pdf"),
    path("funder/<int:pk>/export/", funder_views.funder_export, name="funder_export"),
    path("funder/<int:pk>/regenerate/", funder_views.funder_regenerate, name="funder_regenerate"),
    # Housing First fidelity (G5)
    path("fidelity/", fidelity.fidelity, name="fidelity"),
    path("fidelity/assess/", fidelity.fidelity_assess, name="fidelity_assess"),
    path("fidelity/people/", fidelity.fidelity_people, name="fidelity_people"),
    path("fidelity/export/", fidelity.fidelity_export, name="fidelity_export"),
    path("fidelity/pdf/", fidelity.fidelity_pdf, name="fidelity_pdf"),
    # Outcomes (G5, C9, A7).
    path("outcomes/", outcomes_views.outcomes, name="outcomes"),
    path("outcomes/people/", outcomes_views.outcomes_people, name="outcomes_people"),
    path("outcomes/export/", outcomes_views.outcomes_export, name="outcomes_export"),
    path("outcomes/pdf/", outcomes_views.outcomes_pdf_view, name="outcomes_pdf"),
]
