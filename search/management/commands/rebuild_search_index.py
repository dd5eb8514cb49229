from django.core.management.base import BaseCommand, CommandError

from search.services import SEARCH_REBUILDERS


class Command(BaseCommand):
    help = (
        "(Re)build search documents in bulk, e.g. after data was loaded with COPY. Idempotent: "
        "unchanged documents are not rewritten, documents of deleted subjects are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=sorted(SEARCH_REBUILDERS),
            help="Kind of subject to rebuild (repeatable); default: all kinds that can be rebuilt.",
        )
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, kind=None, batch_size=5000, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        verbose = options["verbosity"] >= 1
        for name in kind or sorted(SEARCH_REBUILDERS):

            def progress(done: int, name=name) -> None:
                if options["verbosity"] >= 2:
                    self.stdout.write(f"{name}: {done} documents")

            report = SEARCH_REBUILDERS[name](batch_size=batch_size, progress=progress)
            if verbose:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{name}: {report.documents} documents in {report.seconds:.1f} s "
                        f"({report.per_second:,.0f}/s), {report.deleted} stale removed."
                    )
                )
