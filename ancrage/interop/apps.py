"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "ancrage.interop"
    label = "interop"
    verbose_name = _("HMIS CSV exchange")

    def ready(self) -> None:
        from ancrage.core import panels as shared_panels
        from ancrage.core import registry
        from ancrage.interop.audit_actions import ACTIONS, CATEGORIES
        from ancrage.interop.imports import panels as import_panels

        registry.register_actions("interop", ACTIONS, CATEGORIES)
        shared_panels.register(shared_panels.PARTICIPANT_DETAIL, import_panels.participant_detail)
