"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "ancrage.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        # Each app declares its own audit codes when Django starts: core never imports the apps above it.
        from ancrage.assessments.audit_actions import ACTIONS, CATEGORIES
        from ancrage.core import registry

        registry.register_actions("assessments", ACTIONS, CATEGORIES)
