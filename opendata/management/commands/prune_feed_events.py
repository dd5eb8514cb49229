from django.core.management.base import BaseCommand

from opendata.selectors.feed import feed_retention_days
from opendata.services import feed_prune
from registry.models import AuditEntry


class Command(BaseCommand):
    help = "Delete change-feed events older than the replay window (OPEN_DATA_FEED_RETENTION_DAYS)."

    def handle(self, *args, **options):
        pruning = feed_prune(via=AuditEntry.Via.COMMAND)
        days = feed_retention_days()
        if pruning is None:
            self.stdout.write(f"No event is older than {days} days.")
        else:
            self.stdout.write(
                f"Deleted {pruning.deleted} events older than {days} days, "
                f"up to timepoint {pruning.pruned_through}."
            )
