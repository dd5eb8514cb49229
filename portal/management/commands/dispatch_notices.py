"""Turn undispatched subject events into inbox notices and mail. Run every minute from cron."""

from django.core.management.base import BaseCommand

from portal.services.notices import notices_dispatch


class Command(BaseCommand):
    help = (
        "Write inbox notices and queue mail for every undispatched event about an enterprise "
        "(its users, its followers, its registered contact e-mail), then mark the events dispatched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="Events per run (default: %(default)s).")

    def handle(self, *args, limit: int, **options):
        counts = notices_dispatch(limit=limit)
        self.stdout.write(f"Dispatched {counts['events']} events as {counts['notices']} notices.")
