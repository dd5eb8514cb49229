from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.importing.enterprises import EnterpriseImportError, import_enterprises
from registry.importing.spreadsheet import ImportFileError


class Command(BaseCommand):
    help = (
        "Import enterprises from a .csv (UTF-8, header row) or .xlsx file. All or nothing: "
        "one bad row means nothing is written. Columns: see docs/import-enterprises.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            report = import_enterprises(path=file)
        except ImportFileError as exc:
            raise CommandError(f"{file.name}: {exc}. Nothing was imported.") from exc
        except EnterpriseImportError as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"{file.name}: {len(exc.errors)} problem(s); nothing was imported.\n{lines}"
            ) from exc
        for line, uscc in report.legacy:
            self.stdout.write(
                self.style.WARNING(f"line {line}: {uscc} imported as a LEGACY code (check character fails)")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{file.name}: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
