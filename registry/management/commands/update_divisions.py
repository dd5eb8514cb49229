from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.divisions import (
    AGENCIES_CSV,
    REGIONS_CSV,
    DivisionSourceError,
    agency_rows,
    division_rows,
    read_agencies_csv,
    read_regions_csv,
    stdnum_source,
    write_data_files,
)
from registry.models import AuditEntry
from registry.services.reference import divisions_update


class Command(BaseCommand):
    help = (
        "Update the GB/T 2260 divisions (to county level, with retired codes) and the market-regulation "
        "bureaus and courts generated from them, from the installed python-stdnum table or a file in "
        "its format. All or nothing; agencies a clerk confirmed or corrected are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="A code list in python-stdnum's cn/loc.dat format.")
        parser.add_argument(
            "--write-csv",
            action="store_true",
            help="Also rewrite registry/data/regions.csv and agencies_generated.csv (the shipped data).",
        )
        parser.add_argument("--note", default="", help="Reason recorded in the audit trail.")

    def handle(self, *args, file=None, write_csv=False, note="", **options):
        if file is None:
            file, source = stdnum_source()
        else:
            source = file.name
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        curated = read_regions_csv(REGIONS_CSV)
        try:
            divisions = division_rows(text, curated=curated)
        except DivisionSourceError as error:
            raise CommandError(str(error)) from error
        taken = {row.name_zh for row in read_agencies_csv(AGENCIES_CSV)}
        agencies = agency_rows(divisions, taken_names=taken)
        try:
            report = divisions_update(
                divisions=divisions,
                agencies=agencies,
                actor=None,
                via=AuditEntry.Via.COMMAND,
                note=note or f"update_divisions from {source}",
            )
        except ValidationError as error:
            raise CommandError(f"Nothing was changed: {' '.join(error.messages)}") from error
        if write_csv:
            write_data_files(divisions, agencies, source=source)
        if options["verbosity"] >= 1:
            self._summary(report, source)

    def _summary(self, report, source: str) -> None:
        def sample(codes: list[str]) -> str:
            return (": " + ", ".join(codes[:10]) + (" …" if len(codes) > 10 else "")) if codes else ""

        lines = [
            f"Source: {source}",
            f"Divisions added: {len(report.regions_created)}{sample(report.regions_created)}",
            f"Divisions changed: {len(report.regions_changed)}{sample(report.regions_changed)}",
            f"  of which newly retired: {len(report.regions_retired)}{sample(report.regions_retired)}",
            f"Divisions in the database but not in the source (kept): {report.regions_not_in_source}",
            f"Generated agencies added: {len(report.agencies_created)}{sample(report.agencies_created)}",
            f"Generated agencies changed: {len(report.agencies_changed)}{sample(report.agencies_changed)}",
            f"Agencies left alone (confirmed, corrected or curated): {report.agencies_kept}",
        ]
        self.stdout.write("\n".join(lines))
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Nothing to change."))
