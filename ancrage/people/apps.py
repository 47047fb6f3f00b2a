"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ancrage.people"
    label = "people"
    verbose_name = _("Participants")

    def ready(self) -> None:
        # Each app declares its own codes, and its part of shared pages, when Django starts (core never
        # imports the apps above it).
        from ancrage.core import panels as shared_panels
        from ancrage.core import registry
        from ancrage.core.scheduling import register
        from ancrage.organisations import requirements
        from ancrage.people import panels
        from ancrage.people.audit_actions import ACTIONS, CATEGORIES
        from ancrage.people.models import Gender
        from ancrage.people.schedule import JOBS

        registry.register_actions("people", ACTIONS, CATEGORIES)
        requirements.register_values("gender", Gender)
        shared_panels.register(shared_panels.HOME, panels.home)
        register(*JOBS)
