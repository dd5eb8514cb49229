from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blacklists.importing.run import ListImportError, import_list
from registry.importing.spreadsheet import ImportFileError


class Command(BaseCommand):
    help = (
        "Import a published list from .csv (UTF-8) or .xlsx, all or nothing. Any list code: the court lists "
        "(court-defaulters, consumption-restriction) in the court site's format, the others in the "
        "agency format. Columns: docs/import-lists.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("list_code")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that build the rows of large files (default: one per core, at most 2; 1 = none).",
        )

    def handle(self, *args, list_code: str, file: Path, workers: int | None, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1.")
        try:
            report = import_list(list_code=list_code, path=file, workers=workers)
        except ImportFileError as exc:
            raise CommandError(f"{file.name}: {exc} Nothing was imported.") from exc
        except ListImportError as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"{file.name}: {len(exc.errors)} problem(s); nothing was imported.\n{lines}"
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{file.name}: {report.created} entries created, "
                f"{report.unchanged} already listed (unchanged)."
            )
        )
