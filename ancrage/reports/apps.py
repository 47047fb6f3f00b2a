"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ancrage.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Each part of reporting declares its own audit codes and jobs when Django starts.
        from ancrage.core import registry
        from ancrage.reports.audit_actions import ACTIONS, CATEGORIES

        registry.register_actions("reports", ACTIONS, CATEGORIES)

        # The monthly funder report's job.
        from ancrage.core.scheduling import register
        from ancrage.reports.schedule import JOBS

        register(*JOBS)
