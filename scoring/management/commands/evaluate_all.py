import time

from django.core.management.base import BaseCommand, CommandError

from scoring.services.evaluations import NoRuleSetInForce, evaluation_run_all


class Command(BaseCommand):
    help = (
        "Evaluate every enterprise under the public evaluation rule set in force (set-based, a "
        "transaction per batch). The job worker also runs it when the last full run is a year old."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=100_000, help="Enterprise ids per transaction.")

    def handle(self, *args, batch_size: int, **options):
        started = time.perf_counter()
        try:
            summary = evaluation_run_all(
                via="command",
                batch_size=batch_size,
                progress=lambda done, total: self.stdout.write(f"  batch {done}/{total}"),
            )
        except NoRuleSetInForce as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Evaluated {summary.results} enterprises ({summary.contributions} contributing records) under "
            f"{summary.rule_set} in {time.perf_counter() - started:.1f} s."
        )
