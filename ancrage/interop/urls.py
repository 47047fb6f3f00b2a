"""Addresses of the HMIS CSV exchange: imports and their data-quality reports, exports."""

from django.urls import path

from ancrage.interop.hmis.export import views as export_views
from ancrage.interop.imports import views as import_views

app_name = "interop"

urlpatterns: list = [
    path("export/", export_views.export_page, name="export"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/new/", import_views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/<int:pk>/report/", import_views.import_report, name="import_report"),
]
