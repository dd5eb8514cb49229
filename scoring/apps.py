from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring and grades")

    def ready(self) -> None:
        from imports.kinds import importer_register
        from scoring import indicators  # noqa: F401 - fills the indicator catalogue
        from scoring.importing.kind import AGENCY_GRADE_IMPORTER
        from scoring.jobs import register
        from scoring.models import AgencyGrade
        from scoring.services.triggers import watch_objections
        from scoring.services.watcher import watched_model_register

        register()
        watch_objections()
        # A grade imported, corrected or withdrawn re-evaluates its enterprise.
        watched_model_register(AgencyGrade)
        # Issuing agencies import their grades through the imports app's pages.
        importer_register(AGENCY_GRADE_IMPORTER)
