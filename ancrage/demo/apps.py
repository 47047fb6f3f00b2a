"""App configuration for the demo: the top layer, which alone may import every other app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "ancrage.demo"
    label = "demo"
    verbose_name = _("Demo")
