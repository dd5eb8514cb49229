from django.core.management.base import BaseCommand

from registry.services.mail import mail_send_pending


class Command(BaseCommand):
    help = (
        "Send or retry every queued mail that is due. Safe to run in parallel: run it from cron every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="At most this many mails per run.")

    def handle(self, *args, limit: int, **options):
        counts = mail_send_pending(limit=limit)
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} failed permanently."
            )
        )
