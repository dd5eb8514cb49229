"""The GB/T 2260 divisions to county level (with retired codes), and the market-regulation bureau
and people's court of every division, generated and awaiting a clerk's confirmation.

Loads registry/data/regions.csv and registry/data/agencies_generated.csv. Rows that already
exist are upserted for divisions; an existing agency (same short code or same Chinese name) is
left as it is.
"""

import csv
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _year(value):
    return int(value) if value else None


def _check_now(schema_editor):
    # Run the deferred foreign-key checks of the rows just loaded, so that the indexes this
    # migration creates at its end do not meet pending trigger events.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def load_divisions(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    Region.objects.bulk_create(
        [
            Region(
                code=row["code"],
                name_zh=row["name_zh"],
                name_en=row["name_en"],
                level=row["level"],
                parent_id=row["parent_code"] or None,
                valid_from_year=_year(row["valid_from_year"]),
                valid_until_year=_year(row["valid_until_year"]),
            )
            for row in _rows("regions.csv")
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_zh", "name_en", "level", "parent", "valid_from_year", "valid_until_year"],
    )
    _check_now(schema_editor)


def load_generated_agencies(apps, schema_editor):
    Agency = apps.get_model("registry", "Agency")
    codes = set(Agency.objects.values_list("short_code", flat=True))
    names = set(Agency.objects.values_list("name_zh", flat=True))
    Agency.objects.bulk_create(
        [
            Agency(
                short_code=row["short_code"],
                name_zh=row["name_zh"],
                name_en=row["name_en"],
                level=row["level"],
                kind=row["kind"],
                region_id=row["region_code"],
                generated=True,
            )
            for row in _rows("agencies_generated.csv")
            if row["short_code"] not in codes and row["name_zh"] not in names
        ],
        batch_size=2000,
    )
    _check_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0013_lighter_write_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='confirmed at'),
        ),
        migrations.AddField(
            model_name='agency',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by'),
        ),
        migrations.AddField(
            model_name='agency',
            name='generated',
            field=models.BooleanField(default=False, help_text='Named after the official pattern from its division (update_divisions); a clerk confirms or corrects it. The command never changes a confirmed row.', verbose_name='generated from the divisions'),
        ),
        migrations.AddField(
            model_name='region',
            name='valid_from_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='First yearly edition of the code list that has this code; empty: since the first.', null=True, verbose_name='listed from (year)'),
        ),
        migrations.AddField(
            model_name='region',
            name='valid_until_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Last yearly edition of the code list that has this code; empty: in use.', null=True, verbose_name='retired after (year)'),
        ),
        migrations.AddConstraint(
            model_name='agency',
            constraint=models.CheckConstraint(condition=models.Q(('confirmed_at__isnull', True), ('generated', True), _connector='OR'), name='agency_only_generated_confirmed', violation_error_message='Only a generated agency is confirmed.'),
        ),
        migrations.AddConstraint(
            model_name='agency',
            constraint=models.CheckConstraint(condition=models.Q(('confirmed_by__isnull', True), ('confirmed_at__isnull', False), _connector='OR'), name='agency_confirmer_has_date', violation_error_message='A confirmation has a date.'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('valid_from_year__isnull', True), ('valid_from_year__range', (1980, 2200)), _connector='OR'), models.Q(('valid_until_year__isnull', True), ('valid_until_year__range', (1980, 2200)), _connector='OR'), models.Q(('valid_from_year__isnull', True), ('valid_until_year__isnull', True), ('valid_from_year__lte', models.F('valid_until_year')), _connector='OR')), name='region_years_in_order', violation_error_message='The years of a division lie between 1980 and 2200, the first not after the last.'),
        ),
        migrations.RunPython(load_divisions, migrations.RunPython.noop),
        migrations.RunPython(load_generated_agencies, migrations.RunPython.noop),
    ]
