"""Demo double-random inspections: an item list, a plan, a joint task drawn with results, and a
task waiting for its secrets (see docs/demo.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from demo.inspections import inspections_create
from inspections.models import InspectionTask


class Command(BaseCommand):
    help = (
        "Create demo inspection items, a plan, a drawn joint task with results and a task awaiting "
        "its secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the parties' demo secrets (default 1)."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when inspection tasks exist.")

    def handle(self, *args, seed: int, if_empty: bool, **options):
        if if_empty and InspectionTask.objects.exists():
            self.stdout.write("Inspection tasks already exist; nothing generated.")
            return
        try:
            made = inspections_create(seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Inspection task {made.drawn_task.pk} drawn with {made.results} results; "
                f"task {made.waiting_task.pk} awaits its secrets."
            )
        )
