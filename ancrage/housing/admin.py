"""Admin for housing units."""

from django.contrib import admin

from ancrage.core.admin_site import ConfigurationAdmin
from ancrage.housing.models import Unit


@admin.register(Unit)
class UnitAdmin(ConfigurationAdmin):
    list_display = ["address", "neighbourhood", "kind", "bedrooms", "monthly_rent", "status", "organisation"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["address", "neighbourhood"]
    raw_id_fields = ["added_by"]
