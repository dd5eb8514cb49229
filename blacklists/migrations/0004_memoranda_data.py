"""Ship the joint rewards and punishments of seed section 1.4 as data: the agencies they need,
the Jiangsu environmental credit lists, the memoranda with their measures, and list feeds."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _int(value):
    return int(value) if value else None


def load(apps, schema_editor):
    Agency = apps.get_model("registry", "Agency")
    ListType = apps.get_model("blacklists", "ListType")
    Memorandum = apps.get_model("blacklists", "Memorandum")
    Measure = apps.get_model("blacklists", "Measure")
    ListFeed = apps.get_model("blacklists", "ListFeed")
    for row in _rows("memorandum_agencies.csv"):
        Agency.objects.update_or_create(
            short_code=row["short_code"],
            defaults={
                "name_zh": row["name_zh"], "name_en": row["name_en"], "level": row["level"],
                "kind": row["kind"], "region_id": row["region_code"] or None,
            },
        )
    agencies = {agency.short_code: agency for agency in Agency.objects.all()}
    for row in _rows("memorandum_list_types.csv"):
        ListType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "owner": agencies[row["owner"]],
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
    lists = {list_type.code: list_type for list_type in ListType.objects.all()}
    memoranda = {}
    for row in _rows("memoranda.csv"):
        memorandum, _ = Memorandum.objects.update_or_create(
            document_number=row["document_number"],
            defaults={
                "title_zh": row["title_zh"],
                "title_en": row["title_en"],
                "signed_on": row["signed_on"],
                "lead_agency": agencies[row["lead_agency"]],
                "in_force_from": row["in_force_from"],
                "in_force_to": row["in_force_to"] or None,
                "summary_zh": row["summary_zh"],
                "summary_en": row["summary_en"],
                "source_url": row["source_url"],
            },
        )
        memorandum.signatories.set([agencies[code] for code in row["signatories"].split()])
        memorandum.trigger_list_types.set([lists[code] for code in row["trigger_lists"].split()])
        memoranda[row["key"]] = memorandum
    for row in _rows("measures.csv"):
        binds = set(row["binds"].split())
        Measure.objects.update_or_create(
            memorandum=memoranda[row["memorandum"]],
            code=row["code"],
            enforcing_agency=agencies[row["enforcing_agency"]],
            trigger_list_type=lists[row["trigger_list"]] if row["trigger_list"] else None,
            defaults={
                "kind": row["kind"],
                "category": row["category"],
                "description_zh": row["description_zh"],
                "description_en": row["description_en"],
                "binds_subject": "subject" in binds,
                "binds_legal_representative": "legal_representative" in binds,
                "binds_directors": "directors" in binds,
                "binds_supervisors": "supervisors" in binds,
                "binds_senior_managers": "senior_managers" in binds,
                "binds_actual_controller": "actual_controller" in binds,
                "parameter": Decimal(row["parameter"]) if row["parameter"] else None,
                "parameter_unit": row["parameter_unit"],
                "clause": row["clause"],
            },
        )
    for row in _rows("list_feeds.csv"):
        ListFeed.objects.update_or_create(
            source=lists[row["source"]],
            target=lists[row["target"]],
            defaults={
                "memorandum": memoranda[row["memorandum"]] if row["memorandum"] else None,
                "legal_basis": row["legal_basis"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("blacklists", "0003_memoranda_measures_api_clients")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
