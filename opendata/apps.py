from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from django.core.checks import register

        from opendata.checks import rate_limits_check

        register(rate_limits_check)
