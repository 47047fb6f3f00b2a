"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "ancrage.housing"
    label = "housing"
    verbose_name = _("Housing")

    def ready(self) -> None:
        # Each app declares its own audit codes when Django starts: core never imports the apps above it.
        from ancrage.core import registry
        from ancrage.housing.audit_actions import ACTIONS, CATEGORIES

        registry.register_actions("housing", ACTIONS, CATEGORIES)

        # Move-in support's parts of shared pages (C6).
        from ancrage.core import panels as shared_panels
        from ancrage.housing import panels_support

        shared_panels.register(shared_panels.HOME, panels_support.home)
        shared_panels.register(shared_panels.PARTICIPANT_DETAIL, panels_support.participant_detail)
