"""Ship the GB/T 2260 divisions and the national agencies as data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load_regions(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    with open(DATA / "regions.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    # The province and prefecture levels this migration was written for; 0014 loads the counties.
    rows = [row for row in rows if row["level"] != "county"]
    for row in rows:  # provinces precede their prefectures in the file
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"], "name_en": row["name_en"], "level": row["level"],
                "parent_id": row["parent_code"] or None,
            },
        )


def load_agencies(apps, schema_editor):
    Agency = apps.get_model("registry", "Agency")
    with open(DATA / "agencies.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Agency.objects.update_or_create(
                short_code=row["short_code"],
                defaults={
                    "name_zh": row["name_zh"], "name_en": row["name_en"], "level": row["level"],
                    "kind": row["kind"], "region_id": row["region_code"] or None,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.RunPython(load_regions, migrations.RunPython.noop),
        migrations.RunPython(load_agencies, migrations.RunPython.noop),
    ]
