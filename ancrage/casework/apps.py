"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "ancrage.casework"
    label = "casework"
    verbose_name = _("Case management")

    def ready(self) -> None:
        # Each app declares its own codes, and its part of shared pages, when Django starts (core never
        # imports the apps above it).
        from ancrage.casework import alert_kinds, panels, receivers_housing  # noqa: F401 (connect on import)
        from ancrage.casework.audit_actions import ACTIONS, CATEGORIES
        from ancrage.casework.schedule import JOBS
        from ancrage.core import panels as shared_panels
        from ancrage.core import registry
        from ancrage.core.scheduling import register

        register(*JOBS)

        registry.register_actions("casework", ACTIONS, CATEGORIES)
        registry.register_alert_kinds("casework", alert_kinds.KINDS, alert_kinds.PARAM_CHOICES)
        shared_panels.register(shared_panels.HOME, panels.home)
        # Housing's days to move-in count from the first enrollment (C9).
        from ancrage.casework.housing_dates import first_enrollment_dates
        from ancrage.housing.outcomes import register_start_dates

        register_start_dates(first_enrollment_dates)
        # A lease belongs to the program that follows the participant that day (its budgets, its outcomes).
        from ancrage.casework.housing_dates import program_following
        from ancrage.housing.services_tenancies import register_program_following

        register_program_following(program_following)
        # The services with an open referral are involved with the participant (E3).
        from ancrage.casework.referrals.selectors import involvement_source
        from ancrage.core import involvement

        involvement.register(involvement_source)
