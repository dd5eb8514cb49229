import datetime as dt

from django.core.management.base import BaseCommand

from blacklists.services import list_entries_expiring_record


class Command(BaseCommand):
    help = (
        "Record an 'expiring' subject event for every list entry in force whose planned end falls "
        "within the next N days. Idempotent: run it from cron daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Look this many days ahead (default 30).")
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, help="Reference date (YYYY-MM-DD); default today."
        )

    def handle(self, *args, days: int, on=None, **options):
        count = list_entries_expiring_record(days=days, on=on)
        self.stdout.write(self.style.SUCCESS(f"{count} expiry notices recorded."))
