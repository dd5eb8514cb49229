"""What the public dashboard page shows beyond the rows: every grouping of its figures, the
figures per year, and the CSV download of the rows.

Days are counted as in ``government.selectors.dashboard`` (from the listed date to the cleared
date, or to today while open). All the groupings (province, level, kind of body, kind of record,
year listed and year cleared) come from one statement with grouping sets, so the page costs one
pass over the records whatever their number; the result is cached per day and set of filters
beside the headline figures and forgotten with them when a record is written
(``dashboard_figures_clear``).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from government.models import DEFAULTER_KINDS, DishonestyRecord
from government.selectors.dashboard import (
    FIGURES_SECONDS,
    DashboardFilters,
    _figures_key,
    government_defaulter_rows,
)
from registry.models import Enterprise


@dataclass
class Figures:
    """Totals of one group of records."""

    records: int = 0
    open: int = 0
    open_bodies: int = 0
    open_amount: Decimal = Decimal(0)
    cleared: int = 0
    median_days_to_clear: float | None = None


@dataclass
class YearFigures:
    year: int
    listed: int = 0
    cleared: int = 0
    open_at_end: int = 0
    median_days_to_clear: float | None = None  # of the records cleared that year


@dataclass
class DashboardFigures:
    on: dt.date
    total: Figures = field(default_factory=Figures)
    by_province: dict[str, Figures] = field(default_factory=dict)  # province code -> figures
    by_level: dict[str, Figures] = field(default_factory=dict)
    by_body_kind: dict[str, Figures] = field(default_factory=dict)
    by_record_kind: dict[str, Figures] = field(default_factory=dict)
    by_year: list[YearFigures] = field(default_factory=list)

    def groupings(self, province_names: dict[str, str]) -> list[tuple[str, list[tuple[str, Figures]]]]:
        """Each grouping as (heading, [(label, figures)]), labels in the active language."""
        levels, kinds = dict(Enterprise.Level.choices), dict(Enterprise.EntityType.choices)
        records = dict(DishonestyRecord.Kind.choices)
        return [
            (_("By province"), sorted((province_names.get(k, k), f) for k, f in self.by_province.items())),
            (
                _("By level of government"),
                [(levels[k], self.by_level[k]) for k in levels if k in self.by_level],
            ),
            (
                _("By kind of body"),
                [(kinds[k], self.by_body_kind[k]) for k in kinds if k in self.by_body_kind],
            ),
            (
                _("By kind of record"),
                [(records[k], self.by_record_kind[k]) for k in records if k in self.by_record_kind],
            ),
        ]


# Table names are model metadata, never input; every value is a parameter.
_FIGURES_SQL = """
SELECT
    GROUPING(province, body.level, body.entity_type, record.kind, listed_year, cleared_year),
    province, body.level, body.entity_type, record.kind, listed_year, cleared_year,
    count(*),
    count(*) FILTER (WHERE record.cleared_on IS NULL),
    count(DISTINCT record.subject_id) FILTER (WHERE record.cleared_on IS NULL),
    coalesce(sum(record.amount) FILTER (WHERE record.cleared_on IS NULL), 0),
    count(*) FILTER (WHERE record.cleared_on IS NOT NULL),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY record.cleared_on - record.listed_on)
        FILTER (WHERE record.cleared_on IS NOT NULL)
FROM {records} record
JOIN {bodies} body ON body.id = record.subject_id
CROSS JOIN LATERAL (SELECT
    left(body.region_id, 2) || '0000' AS province,
    extract(year FROM record.listed_on)::int AS listed_year,
    extract(year FROM record.cleared_on)::int AS cleared_year) derived
WHERE {where}
GROUP BY GROUPING SETS (
    (), (province), (body.level), (body.entity_type), (record.kind), (listed_year), (cleared_year)
)
"""

# GROUPING() bits, highest first: province, level, entity_type, kind, listed_year, cleared_year.
_GROUPING_SETS = {0b111111: "total", 0b011111: "province", 0b101111: "level", 0b110111: "body_kind"}
_GROUPING_SETS |= {0b111011: "record_kind", 0b111101: "listed_year", 0b111110: "cleared_year"}


def _where(filters: DashboardFilters) -> tuple[str, list]:
    conditions = ["record.kind = ANY(%s)"]
    params: list = [[filters.record_kind] if filters.record_kind else [str(kind) for kind in DEFAULTER_KINDS]]
    if filters.province:
        conditions.append("body.region_id LIKE %s")
        params.append(filters.province[:2] + "%")
    if filters.level:
        conditions.append("body.level = %s")
        params.append(filters.level)
    if filters.body_kind:
        conditions.append("body.entity_type = %s")
        params.append(filters.body_kind)
    if filters.open_only:
        conditions.append("record.cleared_on IS NULL")
    if filters.cleared_only:
        conditions.append("record.cleared_on IS NOT NULL")
    return " AND ".join(conditions), params


def _figures_from_database(filters: DashboardFilters, on: dt.date) -> DashboardFigures:
    where, params = _where(filters)
    sql = _FIGURES_SQL.format(
        records=DishonestyRecord._meta.db_table, bodies=Enterprise._meta.db_table, where=where
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    figures = DashboardFigures(on=on)
    listed: dict[int, int] = {}
    cleared: dict[int, tuple[int, float | None]] = {}
    for grouping, province, level, body_kind, kind, listed_year, cleared_year, *values in rows:
        group = Figures(
            records=values[0],
            open=values[1],
            open_bodies=values[2],
            open_amount=Decimal(values[3]),
            cleared=values[4],
            median_days_to_clear=float(values[5]) if values[5] is not None else None,
        )
        grouping_set = _GROUPING_SETS[grouping]
        if grouping_set == "total":
            figures.total = group
        elif grouping_set == "province":
            figures.by_province[province] = group
        elif grouping_set == "level":
            figures.by_level[level] = group
        elif grouping_set == "body_kind":
            figures.by_body_kind[body_kind] = group
        elif grouping_set == "record_kind":
            figures.by_record_kind[kind] = group
        elif grouping_set == "listed_year":
            listed[listed_year] = group.records
        elif cleared_year is not None:  # the group of records not cleared has no year
            cleared[cleared_year] = (group.cleared, group.median_days_to_clear)
    figures.by_year = _years(listed, cleared, on)
    return figures


def _years(
    listed: dict[int, int], cleared: dict[int, tuple[int, float | None]], on: dt.date
) -> list[YearFigures]:
    """Every year from the first listing to ``on``'s: listed, cleared, and still open at its end."""
    if not listed:
        return []
    years, backlog = [], 0
    for year in range(min(listed), max(on.year, *listed) + 1):
        cleared_count, median = cleared.get(year, (0, None))
        backlog += listed.get(year, 0) - cleared_count
        years.append(YearFigures(year, listed.get(year, 0), cleared_count, backlog, median))
    return years


def dashboard_figures(*, filters: DashboardFilters, on: dt.date) -> DashboardFigures:
    """The page's figures for ``filters`` on ``on``: one statement, kept a few minutes per filter set."""
    key = _figures_key("page", on.isoformat(), repr(filters))  # cleared with the core figures on writes
    found = cache.get(key)
    if found is None:
        found = _figures_from_database(filters, on)
        cache.set(key, found, FIGURES_SECONDS)
    return found


class _Echo:
    def write(self, value):
        return value


def dashboard_csv_lines(*, filters: DashboardFilters, on: dt.date, province_names: dict[str, str]):
    """``dashboard_csv_rows`` as lines of CSV text, the first with a byte-order mark for spreadsheets."""
    writer = csv.writer(_Echo())
    for number, row in enumerate(dashboard_csv_rows(filters=filters, on=on, province_names=province_names)):
        yield ("\ufeff" if number == 0 else "") + writer.writerow(row)


def dashboard_csv_rows(*, filters: DashboardFilters, on: dt.date, province_names: dict[str, str]):
    """The header and every row behind the dashboard as lists of text, in the active language.

    Codes are written as names (never an internal code), dates as ISO 8601, amounts in yuan with
    two decimals; rows are read from the database in chunks."""
    zh = (get_language() or "zh").startswith("zh")
    labels = {
        name: {key: str(label) for key, label in choices}
        for name, choices in (
            ("level", Enterprise.Level.choices),
            ("kind", Enterprise.EntityType.choices),
            ("record", DishonestyRecord.Kind.choices),
            ("cleared", DishonestyRecord.ClearedHow.choices),
        )
    }
    yield [
        _("Body"), _("USCC"), _("Province"), _("Level of government"), _("Kind of body"), _("Record"),
        _("Recorded by"), _("Case number"), _("Document number"), _("Listed on"), _("Amount (yuan)"),
        _("Days outstanding"), _("Cleared on"), _("Cleared how"),
    ]  # fmt: skip
    for record in government_defaulter_rows(filters=filters, on=on).iterator(chunk_size=2000):
        body, agency = record.subject, record.recording_agency
        yield [
            body.name,
            body.uscc,
            province_names.get(record.province_code, ""),
            labels["level"].get(body.level, ""),
            labels["kind"].get(body.entity_type, ""),
            labels["record"].get(record.kind, ""),
            agency.name_zh if zh else agency.name_en,
            record.case_number,
            record.document_number,
            record.listed_on.isoformat(),
            f"{record.amount:.2f}" if record.amount is not None else "",
            str(record.days_outstanding),
            record.cleared_on.isoformat() if record.cleared_on else "",
            labels["cleared"].get(record.cleared_how, ""),
        ]
