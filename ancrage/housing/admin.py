"""Admin for housing units."""

from django.contrib import admin

from ancrage.housing.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["address", "neighbourhood", "kind", "bedrooms", "monthly_rent", "status", "organisation"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["address", "neighbourhood"]
    raw_id_fields = ["added_by"]
