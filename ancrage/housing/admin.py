"""Admin for areas (a configurable list) and housing units."""

from django.contrib import admin

from ancrage.core.admin_site import ConfigurationAdmin
from ancrage.housing.models import Area, Unit


@admin.register(Area)
class AreaAdmin(ConfigurationAdmin):
    list_display = ["name_fr", "name_en", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_fr", "name_en"]
    list_editable = ["is_active"]
    ordering = ["name_fr"]

    def has_delete_permission(self, request, obj=None):
        # Units and people's choices name areas: an area that no longer applies is retired, not deleted.
        return False


@admin.register(Unit)
class UnitAdmin(ConfigurationAdmin):
    list_display = ["address", "area", "kind", "bedrooms", "monthly_rent", "status", "organisation"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["address", "area__name_fr", "area__name_en", "neighbourhood"]
    raw_id_fields = ["added_by"]
    autocomplete_fields = ["area"]
