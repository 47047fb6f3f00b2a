"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "ancrage.access"
    label = "access"
    verbose_name = _("Coordinated access")

    def ready(self) -> None:
        from ancrage.access.schedule import JOBS
        from ancrage.core.scheduling import register

        register(*JOBS)
