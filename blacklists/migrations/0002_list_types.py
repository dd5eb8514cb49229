"""Ship the national lists (seed FIG 1.3-B), local examples (FIG 1.3-C) and redlists as data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _int(value):
    return int(value) if value else None


def load(apps, schema_editor):
    Agency = apps.get_model("registry", "Agency")
    ListType = apps.get_model("blacklists", "ListType")
    with open(DATA / "agencies.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Agency.objects.update_or_create(
                short_code=row["short_code"],
                defaults={
                    "name_zh": row["name_zh"], "name_en": row["name_en"], "level": row["level"],
                    "kind": row["kind"], "region_id": row["region_code"] or None,
                },
            )
    with open(DATA / "list_types.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ListType.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"],
                    "owner": Agency.objects.get(short_code=row["owner"]),
                    "kind": row["kind"],
                    "holds_persons": row["holds_persons"] == "1",
                    "holds_enterprises": row["holds_enterprises"] == "1",
                    "holds_government_bodies": row["holds_government_bodies"] == "1",
                    "default_severity": row["default_severity"],
                    "min_period_days": _int(row["min_period_days"]),
                    "max_period_days": _int(row["max_period_days"]),
                    "default_period_days": _int(row["default_period_days"]),
                    "permanent_allowed": row["permanent_allowed"] == "1",
                    "region_id": row["region_code"] or None,
                    "scope": row["scope"],
                    "legal_basis": row["legal_basis"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("blacklists", "0001_initial"), ("registry", "0004_list_subjects_and_memberships")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
