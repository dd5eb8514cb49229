"""Create or reset the demo clerks of a county market-regulation bureau and of a court, with work
due for each. Local demo only (DEBUG on)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from demo.clerks import CLERK_PASSWORD, demo_clerks_create


class Command(BaseCommand):
    help = (
        "Create (or reset) the clerks 'county-clerk' (a county market-regulation bureau) and "
        "'court-clerk' (a court), password 'clerk-demo-2026', each seeing only their agency's data, "
        "with objections and applications due and overdue. Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the demo server listens, for the login link (default: %(default)s).",
        )

    def handle(self, *args, base_url: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_clerks only runs with DEBUG on: it creates users with a published password."
            )
        clerks = demo_clerks_create()
        if not clerks:
            raise CommandError("No county bureau or court in the database: run `make demo` first.")
        self.stdout.write(
            self.style.SUCCESS("Demo clerks, each seeing only their own agency's data and queue:")
        )
        self.stdout.write(f"Log in at {base_url.rstrip('/')}{reverse('admin:index')}")
        for clerk in clerks:
            work = f" ({clerk.work_created} applications to decide created)" if clerk.work_created else ""
            self.stdout.write(
                f"  user: {clerk.username:<13} password: {CLERK_PASSWORD}  {clerk.agency.name_zh}{work}"
            )
