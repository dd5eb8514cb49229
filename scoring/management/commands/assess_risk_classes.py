import time

from django.core.management.base import BaseCommand, CommandError

from scoring.services.evaluations import NoRuleSetInForce, risk_class_run_all


class Command(BaseCommand):
    help = (
        "Recompute every enterprise's credit-risk class (internal) under the risk-class rule set in "
        "force. The job worker runs it once a month."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=100_000, help="Enterprise ids per transaction.")

    def handle(self, *args, batch_size: int, **options):
        started = time.perf_counter()
        try:
            summary = risk_class_run_all(via="command", batch_size=batch_size)
        except NoRuleSetInForce as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Classified {summary.results} enterprises under {summary.rule_set} in "
            f"{time.perf_counter() - started:.1f} s."
        )
