from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    """What a company files itself: annual reports, instant disclosures, credit commitment letters.

    Sits above the registry and accounts: it publishes into the registry's records and refuses an
    actor who does not act for the enterprise."""

    name = "filings"
    verbose_name = _("Company filings")
