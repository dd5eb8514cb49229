from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernmentConfig(AppConfig):
    """Government integrity (政务诚信): dishonesty records of public bodies, assessments, feedback counts.

    The bodies themselves are register subjects (``registry.Enterprise`` of a public-sector kind,
    with level, parent body and principal); this app keeps what the agencies record about them."""

    name = "government"
    verbose_name = _("Government integrity")

    def ready(self) -> None:
        from government.importing import GOVERNMENT_RECORD_IMPORTER
        from government.jobs import register
        from imports.kinds import importer_register

        register()

        # Courts, finance bureaus, discipline offices and the credit office import their records
        # through the same upload, preview and confirm pages as every other import.
        importer_register(GOVERNMENT_RECORD_IMPORTER)
