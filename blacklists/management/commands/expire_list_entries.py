import datetime as dt

from django.core.management.base import BaseCommand

from blacklists.services import list_entries_expire


class Command(BaseCommand):
    help = "Mark list entries whose planned end has passed as expired. Idempotent: run it from cron daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, help="Reference date (YYYY-MM-DD); default today."
        )

    def handle(self, *args, on=None, **options):
        count = list_entries_expire(on=on, via="command")
        self.stdout.write(self.style.SUCCESS(f"{count} entries expired."))
