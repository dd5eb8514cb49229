from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from django.core.checks import register as register_check

        from opendata.checks import rate_limits_check
        from opendata.jobs import register

        # The change feed is pruned to its replay window by every run_jobs worker.
        register()
        register_check(rate_limits_check)
