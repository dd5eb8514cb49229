from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic data for the demo and the benchmarks: generators and commands, no models.

    It sits on top of every other app; nothing that runs in production imports it."""

    name = "demo"
    verbose_name = _("Demo data")
