"""List on the abnormal-operations list every enterprise that has not filed its annual report."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from filings.models.annual_reports import FILING_YEAR_MAX, FILING_YEAR_MIN, filing_window
from filings.services.annual_reports import late_filers
from registry.models import AbnormalOperationListing, AuditEntry
from registry.services import abnormal_listing_create
from registry.services.audit import SYSTEM


class Command(BaseCommand):
    help = (
        "After 30 June of the following year, list every enterprise in operation that has not filed "
        "its annual report for --year (reason: annual report not filed). Running it again lists "
        "nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The report year, e.g. 2024.")
        parser.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            default=None,
            help="Listing date (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, year: int, on: dt.date | None, **options):
        if not FILING_YEAR_MIN <= year <= FILING_YEAR_MAX:
            raise CommandError(f"The report year must be between {FILING_YEAR_MIN} and {FILING_YEAR_MAX}.")
        on = on or timezone.localdate()
        closes = filing_window(year)[1]
        if on <= closes:
            raise CommandError(
                f"The filing window for {year} closes on {closes.isoformat()}; late filers can be listed "
                f"from {(closes + dt.timedelta(days=1)).isoformat()}, not on {on.isoformat()}."
            )
        listed = skipped = 0
        for enterprise in late_filers(year=year).iterator(chunk_size=500):
            if enterprise.registration_authority is None:
                skipped += 1
                self.stderr.write(f"{enterprise.uscc}: no registration authority recorded; not listed.")
                continue
            try:
                with transaction.atomic():
                    abnormal_listing_create(
                        enterprise=enterprise,
                        reason=AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED,
                        listed_on=on,
                        listing_agency=enterprise.registration_authority,
                        actor=SYSTEM,
                        via=AuditEntry.Via.COMMAND,
                    )
            except (ValidationError, IntegrityError):  # listed meanwhile: one open listing per reason
                continue
            listed += 1
        self.stdout.write(f"Listed {listed} enterprise(s) for not filing the {year} annual report.")
        if skipped:
            self.stdout.write(f"Skipped {skipped} enterprise(s) without a registration authority.")
