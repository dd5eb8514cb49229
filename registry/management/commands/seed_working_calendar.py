"""Add a year to the working-day calendar from the ``holidays`` library, as a provisional year."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.models import AuditEntry
from registry.models.calendar import FIRST_YEAR, LAST_YEAR
from registry.services.audit import SYSTEM
from registry.services.calendar import calendar_year_seed_from_library


class Command(BaseCommand):
    help = (
        "Add YEAR to the working-day calendar with the statutory holidays (and any make-up working days) "
        "the holidays library knows, marked provisional until a clerk confirms it against the State "
        "Council's notice in admin. A year the calendar holds already is never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int, metavar="YEAR")

    def handle(self, *args, years: list[int], **options):
        for year in years:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise CommandError(f"{year}: the calendar holds the years {FIRST_YEAR} to {LAST_YEAR}.")
            try:
                calendar_year, days = calendar_year_seed_from_library(
                    actor=SYSTEM, via=AuditEntry.Via.COMMAND, year=year
                )
            except ValidationError as exc:
                raise CommandError(f"{year}: {' '.join(exc.messages)}") from exc
            self.stdout.write(
                f"{calendar_year.year}: {days} days added, provisional. Enter the notice's make-up working "
                "days and confirm the year in admin."
            )
