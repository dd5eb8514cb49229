"""Fill the registry with synthetic persons, enterprises and every record type, fast.

Rows are written with PostgreSQL COPY by up to two worker processes; the same arguments on an
empty database always give the same rows. See docs/performance.md for timings."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from demo import database, indexes
from demo.rows import TABLES
from demo.runner import Options, Runner, default_workers


class Command(BaseCommand):
    help = "Generate synthetic demo data (persons, enterprises, all record types) with COPY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises", type=int, default=2000, help="Enterprises to add (default 2000)."
        )
        parser.add_argument(
            "--persons",
            type=int,
            default=5000,
            help="Persons to add (default 5000); companies share them when there are few.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when enterprises already exist."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty persons, enterprises and their records (and what refers to them) first.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Enterprises per chunk and transaction (persons: four times as many).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="Worker processes, each with its own connection (default: cores, at most 2).",
        )

    def handle(self, *args, **options):
        for name in ("enterprises", "persons", "seed"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["batch_size"] < 1 or options["workers"] < 1:
            raise CommandError("--batch-size and --workers must be at least 1.")
        if options["if_empty"] and options["replace"]:
            raise CommandError("--if-empty and --replace contradict each other.")
        indexes.restore_indexes()  # after a run that was killed mid-load
        verbose = options["verbosity"] >= 1
        if options["if_empty"] and database.enterprises_exist():
            if verbose:
                self.stdout.write("Enterprises already exist; no demo data generated (--if-empty).")
            return
        run = Options(
            enterprises=options["enterprises"],
            persons=options["persons"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            workers=options["workers"],
            replace=options["replace"],
        )
        log = self.stdout.write if verbose else (lambda message: None)
        log(
            f"Generating {run.enterprises:,} enterprises and {run.persons:,} persons "
            f"(seed {run.seed}, {run.workers} worker(s)){', replacing existing data' if run.replace else ''}."
        )
        try:
            self.stats = Runner(run, log=log).run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if verbose:
            self._report(self.stats)

    def _report(self, stats) -> None:
        self.stdout.write(f"{'table':<38}{'rows':>14}{'rows/s':>12}{'COPY s':>9}")
        phase_of = {"person": "persons"}
        for key, rows in stats.rows.items():
            seconds = stats.phase_seconds.get(phase_of.get(key, "enterprises"), 0.0)
            rate = f"{rows / seconds:,.0f}" if seconds else "-"
            name = TABLES[key][0]._meta.db_table
            self.stdout.write(f"{name:<38}{rows:>14,}{rate:>12}{stats.copy_seconds[key]:>9.1f}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {stats.total_rows:,} rows in {stats.total_seconds:.1f} s "
                f"({stats.total_rows / max(stats.total_seconds, 1e-9):,.0f} rows/s; "
                f"building {stats.generate_seconds:.1f} s, COPY {sum(stats.copy_seconds.values()):.1f} s "
                "summed over workers)."
            )
        )
