import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from registry.services.jobs import jobs_run_pending, periodic_tasks_run_due, worker_name


class Command(BaseCommand):
    help = (
        "Run the background jobs queued in the database (large imports). Loops until stopped; "
        "--once runs what is due and exits. Any number of workers may run side by side (docs/jobs.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs due now, then exit.")
        parser.add_argument(
            "--sleep", type=float, default=2.0, help="Seconds to wait when no job is due (default 2)."
        )

    def handle(self, *args, once: bool, sleep: float, **options):
        worker = worker_name()
        if once:
            periodic_tasks_run_due()
            count = jobs_run_pending(worker=worker)
            self.stdout.write(f"{count} job(s) run.")
            return
        stopping = []
        # SIGTERM (`make run` stopping, a service manager) lets the job in hand finish first.
        signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
        self.stdout.write(f"Job worker {worker} waiting for jobs (Ctrl-C stops it).")
        try:
            while not stopping:
                close_old_connections()
                periodic_tasks_run_due()
                if not jobs_run_pending(worker=worker, limit=1):
                    time.sleep(sleep)
        except KeyboardInterrupt:
            pass
        self.stdout.write("Job worker stopped.")
