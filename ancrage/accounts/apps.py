"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ancrage.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Each app declares its own audit codes when Django starts: core never imports the apps above it.
        from ancrage.accounts.audit_actions import ACTIONS, CATEGORIES
        from ancrage.core import registry

        registry.register_actions("accounts", ACTIONS, CATEGORIES)
