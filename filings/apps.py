from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    """What a company files itself: annual reports, instant disclosures, credit commitment letters.

    Sits above the registry: it publishes into the registry's records and registers its commitment
    letters as a record type an objection can be about."""

    name = "filings"
    verbose_name = _("Company filings")

    def ready(self):
        from filings.models import CreditCommitment
        from registry.models import Objection
        from registry.services.objections import record_source_register

        record_source_register(
            record_type=Objection.RecordType.COMMITMENT,
            model=CreditCommitment,
            owner=lambda commitment: commitment.broken_by or commitment.source_agency,
        )
