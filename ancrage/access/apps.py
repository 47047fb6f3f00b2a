"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "ancrage.access"
    label = "access"
    verbose_name = _("Coordinated access")

    def ready(self) -> None:
        from ancrage.access import alert_kinds
        from ancrage.access.audit_actions import ACTIONS, CATEGORIES
        from ancrage.access.schedule import JOBS
        from ancrage.core import registry
        from ancrage.core.scheduling import register

        register(*JOBS)

        registry.register_actions("access", ACTIONS, CATEGORIES)
        registry.register_alert_kinds("access", alert_kinds.KINDS)
