from django.core.management.base import BaseCommand, CommandError

from blacklists.models import ListEntry
from demo.listings import demo_lists_load
from registry.models import Person


class Command(BaseCommand):
    help = (
        "Fill every public list for the demo: synthetic court cases through the importer, entries of "
        "every other list (in force, expired, repaired, removed, revoked) issued by agencies of the "
        "list's system, and a few abnormal-operations listings when the register has too few."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=300, help="Court cases (default 300).")
        parser.add_argument(
            "--per-list",
            type=int,
            default=30,
            help="Entries of each other public list, before its own weighting (default 30; 0: none).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when entries exist.")

    def handle(self, *args, entries: int, per_list: int, seed: int, if_empty: bool, **options):
        if entries < 0 or per_list < 0:
            raise CommandError("--entries and --per-list cannot be negative.")
        if if_empty and ListEntry.objects.exists():
            self.stdout.write("List entries already exist; nothing generated.")
            return
        if not Person.objects.exists():
            raise CommandError("The register is empty: run generate_demo_data first.")
        report = demo_lists_load(court_cases=entries, per_list=per_list, seed=seed)
        for code, created in report.court.items():
            self.stdout.write(self.style.SUCCESS(f"{code}: {created} cases imported."))
        total = sum(report.lists.values())
        self.stdout.write(
            self.style.SUCCESS(f"{len(report.lists)} other lists: {total} entries.")
            + (
                f" {report.firms_registered} companies registered for them."
                if report.firms_registered
                else ""
            )
        )
        if report.abnormal_listed:
            self.stdout.write(
                f"Abnormal-operations directory: {report.abnormal_listed} listed, "
                f"{report.abnormal_removed} of them removed."
            )
