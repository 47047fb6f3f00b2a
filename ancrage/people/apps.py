"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ancrage.people"
    label = "people"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from ancrage.core import registry
        from ancrage.people.audit_actions import ACTIONS, CATEGORIES

        registry.register_actions("people", ACTIONS, CATEGORIES)
