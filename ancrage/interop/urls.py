"""Addresses of the HMIS CSV exchange: imports and their data-quality reports, exports."""

from django.urls import path

from ancrage.interop.hmis.export import views as export_views

app_name = "interop"

urlpatterns: list = [
    path("export/", export_views.export_page, name="export"),
]
