"""Credit evaluations for the demo: rule sets, every enterprise evaluated, each grade shown."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from demo.scoring import demo_scoring_build
from scoring.models import Evaluation


class Command(BaseCommand):
    help = "Load the default rule sets and evaluate every demo enterprise, showing each grade."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when evaluations exist.")

    def handle(self, *args, **options):
        if options["if_empty"] and Evaluation.objects.exists():
            self.stdout.write("Evaluations exist: nothing to do.")
            return
        try:
            built = demo_scoring_build()
        except LookupError as problem:
            raise CommandError(str(problem)) from problem
        grades = ", ".join(f"{grade} {count}" for grade, count in built.grades.items())
        self.stdout.write(
            f"Evaluated {built.evaluated} enterprises ({grades}); {built.on_alert_list} on the alert list; "
            f"{built.interviews_pending} warning interviews to hold."
        )
