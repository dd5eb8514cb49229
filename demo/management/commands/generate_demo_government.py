"""Synthetic government bodies with their integrity records, assessments and feedback counts."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.government import generate
from government.models import DishonestyRecord


class Command(BaseCommand):
    help = (
        "Create government bodies at several levels, their dishonesty records, assessment rounds "
        "and 12345 hotline counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when government records exist."
        )

    def handle(self, *args, seed: int, if_empty: bool, **options):
        if if_empty and DishonestyRecord.objects.exists():
            self.stdout.write("Government records exist already; nothing to do.")
            return
        with transaction.atomic():
            made = generate(seed=seed)
        self.stdout.write(f"{made['bodies']} public bodies, {made['records']} government records.")
