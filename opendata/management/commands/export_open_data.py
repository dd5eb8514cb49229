from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendata.datasets import UnknownDataset
from opendata.snapshots import snapshot_export


class Command(BaseCommand):
    help = (
        "Export every open dataset (or those named) as gzip'd CSV and JSON Lines with a manifest, "
        "from one consistent database snapshot, as a new snapshot directory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Directory the snapshots live in (default: the OPEN_DATA_ROOT setting).",
        )
        parser.add_argument(
            "--dataset",
            action="append",
            dest="datasets",
            metavar="NAME",
            help="Export only this dataset (repeat for several; default: all).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Snapshots to keep, the new one included (default: OPEN_DATA_KEEP_SNAPSHOTS).",
        )

    def handle(self, *args, output, datasets, keep, **options):
        keep = settings.OPEN_DATA_KEEP_SNAPSHOTS if keep is None else keep
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        verbose = options["verbosity"] >= 1
        try:
            path = snapshot_export(
                names=datasets,
                root=output,
                keep=keep,
                progress=(lambda message: self.stdout.write(message)) if verbose else (lambda message: None),
            )
        except UnknownDataset as exc:
            raise CommandError(str(exc)) from exc
        if verbose:
            self.stdout.write(self.style.SUCCESS(f"Snapshot {path.name} written to {path.parent}."))
