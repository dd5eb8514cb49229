"""Recompute a task's draw from its published data and say whether it matches what was recorded."""

from django.core.management.base import BaseCommand, CommandError

from inspections.models import InspectionTask
from inspections.services import draw_verify


class Command(BaseCommand):
    help = "Recompute the draw of an inspection task from its manifest, secrets and recusals, and compare."

    def add_arguments(self, parser):
        parser.add_argument("task", type=int, help="The task's id.")

    def handle(self, *args, task: int, **options):
        found = InspectionTask.objects.filter(pk=task).first()
        if found is None:
            raise CommandError(f"No inspection task has the id {task}.")
        if not hasattr(found, "manifest"):
            raise CommandError(f"Task {task} has no published manifest yet.")
        result = draw_verify(task=found)
        if not result.ok:
            raise CommandError("Not verified: " + " ".join(str(problem) for problem in result.problems))
        self.stdout.write(f"verified: task {task}, seed {result.seed}, {result.targets} targets")
