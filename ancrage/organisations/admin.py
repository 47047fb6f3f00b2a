"""Admin for configuring the consortium: organisations, programs, teams."""

from django import forms
from django.contrib import admin
from django.db import models

from ancrage.organisations.models import Consortium, Organisation, Program, Team


class ConfiguredByAdministrators:
    """Administrators (core.configure) set up the consortium here: the role, not Django's per-model
    permissions that no account is given, decides, as it does for opening the admin at all."""

    def _configures(self, request) -> bool:
        return request.user.is_active and request.user.has_ancrage_perm("core.configure")

    def has_module_permission(self, request) -> bool:
        return self._configures(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._configures(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._configures(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._configures(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # What history refers to is protected by the database; the admin then lists what blocks it.
        return self._configures(request)


@admin.register(Consortium)
class ConsortiumAdmin(ConfiguredByAdministrators, admin.ModelAdmin):
    list_display = ["name", "short_name"]


class ProgramInline(ConfiguredByAdministrators, admin.TabularInline):
    model = Program
    extra = 0


class TeamInline(ConfiguredByAdministrators, admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ConfiguredByAdministrators, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "consortium", "is_active"]
    list_filter = ["kind", "consortium", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [ProgramInline, TeamInline]
    # A complaint procedure's link typed without a scheme is a web page: https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


@admin.register(Program)
class ProgramAdmin(ConfiguredByAdministrators, admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "organisation", "is_active"]
    list_filter = ["kind", "organisation"]


@admin.register(Team)
class TeamAdmin(ConfiguredByAdministrators, admin.ModelAdmin):
    list_display = ["name", "organisation", "program"]
    list_filter = ["organisation"]
