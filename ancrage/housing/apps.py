"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "ancrage.housing"
    label = "housing"
    verbose_name = _("Housing")

    def ready(self) -> None:
        # Each app declares its own audit codes when Django starts: core never imports the apps above it.
        from ancrage.core import panels as shared_panels
        from ancrage.core import registry
        from ancrage.housing import panels
        from ancrage.housing.audit_actions import ACTIONS, CATEGORIES

        registry.register_actions("housing", ACTIONS, CATEGORIES)
        # The housing team's day at home (check-ins, viewings, move-ins), the participant's housing on a file.
        shared_panels.register(shared_panels.HOME, panels.home)
        shared_panels.register(shared_panels.PARTICIPANT_DETAIL, panels.participant_detail)

        # The rent payment service (C5): its alerts, its daily job and its parts of the home page and the file.
        from ancrage.core.scheduling import register
        from ancrage.housing import alert_kinds
        from ancrage.housing.rent import panels as rent_panels
        from ancrage.housing.schedule import JOBS

        registry.register_alert_kinds("housing", alert_kinds.KINDS, alert_kinds.PARAM_CHOICES)
        register(*JOBS)
        shared_panels.register(shared_panels.HOME, rent_panels.home)
        shared_panels.register(shared_panels.PARTICIPANT_DETAIL, rent_panels.participant_detail)

        # Move-in support's parts of shared pages (C6).
        from ancrage.housing import panels_support

        shared_panels.register(shared_panels.HOME, panels_support.home)
        shared_panels.register(shared_panels.PARTICIPANT_DETAIL, panels_support.participant_detail)
