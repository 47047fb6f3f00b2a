"""Admin for configuring the consortium: organisations, programs, teams."""

from django.contrib import admin

from ancrage.core.admin_site import ConfigurationAdmin, ConfigurationInline
from ancrage.organisations.models import Consortium, Organisation, Program, Team


@admin.register(Consortium)
class ConsortiumAdmin(ConfigurationAdmin):
    list_display = ["name", "short_name"]


class ProgramInline(ConfigurationInline):
    model = Program
    extra = 0


class TeamInline(ConfigurationInline):
    model = Team
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ConfigurationAdmin):
    list_display = ["name", "short_name", "kind", "consortium", "is_active"]
    list_filter = ["kind", "consortium", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [ProgramInline, TeamInline]


@admin.register(Program)
class ProgramAdmin(ConfigurationAdmin):
    list_display = ["name", "name_en", "kind", "organisation", "is_active"]
    list_filter = ["kind", "organisation"]


@admin.register(Team)
class TeamAdmin(ConfigurationAdmin):
    list_display = ["name", "organisation", "program"]
    list_filter = ["organisation"]
