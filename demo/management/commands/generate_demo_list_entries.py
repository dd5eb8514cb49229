from django.core.management.base import BaseCommand, CommandError

from blacklists.models import ListEntry
from demo.lists import demo_court_lists_load
from registry.models import Person


class Command(BaseCommand):
    help = "Load synthetic court-defaulter and consumption-restriction cases for the demo, via the importer."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when entries exist.")

    def handle(self, *args, entries: int, seed: int, if_empty: bool, **options):
        if if_empty and ListEntry.objects.exists():
            self.stdout.write("List entries already exist; nothing generated.")
            return
        if not Person.objects.exists():
            raise CommandError("The register is empty: run generate_demo_data first.")
        for code, report in demo_court_lists_load(count=entries, seed=seed).items():
            self.stdout.write(
                self.style.SUCCESS(f"{code}: {report.created} created, {report.unchanged} unchanged.")
            )
