from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring and grades")

    def ready(self) -> None:
        # Issuing agencies import their grades through the imports app's pages.
        from imports.kinds import importer_register
        from scoring.importing.kind import AGENCY_GRADE_IMPORTER

        importer_register(AGENCY_GRADE_IMPORTER)
