"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PartnersConfig(AppConfig):
    name = "ancrage.partners"
    label = "partners"
    verbose_name = pgettext_lazy("partners", "Partners")

    def ready(self) -> None:
        # Each app declares its own codes, its part of shared pages and its jobs when Django starts.
        from ancrage.core import involvement, registry
        from ancrage.core import panels as shared_panels
        from ancrage.core.scheduling import register
        from ancrage.core.signals import significant_change
        from ancrage.partners import alert_kinds, panels, receivers
        from ancrage.partners.audit_actions import ACTIONS, CATEGORIES
        from ancrage.partners.schedule import JOBS

        register(*JOBS)
        registry.register_actions("partners", ACTIONS, CATEGORIES)
        registry.register_alert_kinds("partners", alert_kinds.KINDS)
        shared_panels.register(shared_panels.HOME, panels.home)
        shared_panels.register(shared_panels.PARTICIPANT_DETAIL, panels.participant_detail)
        shared_panels.register(shared_panels.RISK_PLAN, panels.risk_plan)
        involvement.register(receivers.police_involvement)
        significant_change.connect(receivers.on_significant_change, dispatch_uid="partners.notices")
