"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "ancrage.conferences"
    label = "conferences"
    verbose_name = _("Case conferences")

    def ready(self) -> None:
        from ancrage.conferences import alert_kinds, panels
        from ancrage.conferences.audit_actions import ACTIONS, CATEGORIES
        from ancrage.conferences.schedule import JOBS
        from ancrage.core import panels as shared_panels
        from ancrage.core import registry
        from ancrage.core.scheduling import register

        register(*JOBS)
        registry.register_actions("conferences", ACTIONS, CATEGORIES)
        registry.register_alert_kinds("conferences", alert_kinds.KINDS)
        shared_panels.register(shared_panels.HOME, panels.home)
        # The tables that discussed a participant are involved with them (E3): they are told of significant
        # changes, under consent.
        from ancrage.conferences.selectors import involvement_source
        from ancrage.core import involvement

        involvement.register(involvement_source)
