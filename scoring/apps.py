from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self):
        from scoring import indicators  # noqa: F401 - fills the indicator catalogue
        from scoring.jobs import register

        register()
        from scoring.services.triggers import watch_objections

        watch_objections()
