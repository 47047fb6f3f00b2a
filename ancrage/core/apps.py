"""App configuration for the shared core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ancrage.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ancrage.core import registry
        from ancrage.core.audit_actions import ACTIONS, CATEGORIES

        registry.register_actions("core", ACTIONS, CATEGORIES)
