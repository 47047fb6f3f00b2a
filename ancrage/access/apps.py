"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "ancrage.access"
    label = "access"
    verbose_name = _("Coordinated access")

    def ready(self) -> None:
        # Each app declares its own codes, and its part of shared pages, when Django starts (core never
        # imports the apps above it).
        from ancrage.access import alert_kinds, panels, receivers  # noqa: F401 (receivers connect on import)
        from ancrage.access.audit_actions import ACTIONS, CATEGORIES, CONSORTIUM_WIDE
        from ancrage.access.models import HouseholdType, IncomeSource, PersonFlag
        from ancrage.access.schedule import JOBS
        from ancrage.core import panels as shared_panels
        from ancrage.core import registry
        from ancrage.core.scheduling import register
        from ancrage.organisations import requirements

        register(*JOBS)

        registry.register_actions("access", ACTIONS, CATEGORIES)
        registry.register_consortium_actions("access", CONSORTIUM_WIDE)
        registry.register_alert_kinds("access", alert_kinds.KINDS)
        requirements.register_values("household_type", HouseholdType)
        requirements.register_values("income_source", IncomeSource)
        requirements.register_values("flag", PersonFlag)
        shared_panels.register(shared_panels.HOME, panels.home)
        shared_panels.register(shared_panels.PARTICIPANT_DETAIL, panels.participant_detail)
