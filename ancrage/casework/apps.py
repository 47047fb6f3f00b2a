"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "ancrage.casework"
    label = "casework"
    verbose_name = _("Case management")

    def ready(self) -> None:
        from ancrage.casework.schedule import JOBS
        from ancrage.core.scheduling import register

        register(*JOBS)
