"""Import one agency's grades in one scheme from a CSV or XLSX file, all or nothing."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from registry.importing.spreadsheet import ImportFileError
from registry.models import AuditEntry
from scoring.importing.agency_grades import AgencyGradeImportError, import_agency_grades


class Command(BaseCommand):
    help = "Import agency grades (tax credit, Customs credit, ...) of one scheme: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("scheme", help="The scheme's code, e.g. sta-tax-credit or gac-enterprise-credit.")
        parser.add_argument("path", type=Path, help="A UTF-8 .csv file or an .xlsx workbook.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")

    def handle(self, *args, scheme: str, path: Path, dry_run: bool, **options):
        try:
            report = import_agency_grades(
                scheme_code=scheme, path=path, via=AuditEntry.Via.COMMAND, dry_run=dry_run
            )
        except AgencyGradeImportError as exc:
            raise CommandError(
                f"Nothing imported; {len(exc.errors)} problem(s):\n" + "\n".join(map(str, exc.errors))
            ) from exc
        except (ImportFileError, PermissionDenied) as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        for note in report.notes:
            self.stdout.write(note)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} grades {verb} created, {report.changed} changed, "
                f"{report.unchanged} left unchanged."
            )
        )
