"""Addresses of the HMIS CSV exchange: imports and their data-quality reports, exports."""

app_name = "interop"

urlpatterns: list = []
