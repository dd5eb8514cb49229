from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Clerks' spreadsheet imports in admin: upload, preview, confirm, result, for every importer.

    Above ``accounts`` (it asks who is a clerk of which agency), below every app that owns data a
    clerk imports: those register their importer here from their ``ready()`` (``blacklists`` its
    lists; later scoring its agency grades, inspections their results)."""

    name = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from imports.importers import ENTERPRISE_IMPORTER
        from imports.kinds import importer_register
        from imports.services import import_jobs_register

        importer_register(ENTERPRISE_IMPORTER)
        import_jobs_register()
