"""The public government-defaulters dashboard: its rows, its totals and its figures over time.

A row is a dishonesty record of a court kind (an unperformed judgment, a court-defaulter listing)
or arrears owed to a company, open or cleared. Days outstanding run from the day the debt fell
due (arrears: overdue since; court records: the listed date) to the day the record was cleared,
or to today while it is open; the median days to clear is taken over cleared records only.

Every figure is aggregated in PostgreSQL, in one statement (grouping sets), whatever the number of
records; the rows are read a page at a time, or streamed for the CSV download.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Func, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from government.models import DEFAULTER_KINDS, DishonestyRecord
from registry.models import Enterprise

# The record kinds a reader may pick: the two court kinds together, or arrears.
RECORD_GROUPS = {
    "court": tuple(str(kind) for kind in DEFAULTER_KINDS if kind != DishonestyRecord.Kind.ARREARS),
    "arrears": (str(DishonestyRecord.Kind.ARREARS),),
}
STATES = ("open", "cleared")
# The summary is recomputed at most this often for one set of filters (seconds); rows are live.
SUMMARY_CACHE_SECONDS = 300


@dataclass(frozen=True)
class DashboardFilters:
    """What the reader narrowed the dashboard to; empty strings mean everything."""

    province: str = ""  # a province code, 340000
    level: str = ""  # Enterprise.Level
    body_kind: str = ""  # Enterprise.EntityType of a public-sector kind
    record_group: str = ""  # a key of RECORD_GROUPS
    state: str = ""  # "open" or "cleared"

    def cache_key(self, on: dt.date) -> str:
        parts = (self.province, self.level, self.body_kind, self.record_group, self.state)
        return "gov-dashboard:" + on.isoformat() + ":" + ":".join(parts)


class DaysBetween(Func):
    """``end - start`` in whole days (PostgreSQL subtracts dates to an integer)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def _record_kinds(filters: DashboardFilters) -> tuple[str, ...]:
    return RECORD_GROUPS.get(filters.record_group) or tuple(str(kind) for kind in DEFAULTER_KINDS)


def dashboard_rows(*, filters: DashboardFilters, on: dt.date) -> QuerySet[DishonestyRecord]:
    """The records behind the dashboard, newest listed first, with ``days_outstanding`` on ``on``."""
    records = DishonestyRecord.objects.filter(kind__in=_record_kinds(filters), listed_on__lte=on)
    if filters.province:
        records = records.filter(subject__region__code__startswith=filters.province[:2])
    if filters.level:
        records = records.filter(subject__level=filters.level)
    if filters.body_kind:
        records = records.filter(subject__entity_type=filters.body_kind)
    if filters.state == "open":
        records = records.filter(cleared_on__isnull=True)
    elif filters.state == "cleared":
        records = records.filter(cleared_on__isnull=False)
    return (
        records.select_related("subject", "recording_agency")
        .annotate(
            days_outstanding=DaysBetween(
                Coalesce(F("cleared_on"), Value(on)), Coalesce(F("overdue_since"), F("listed_on"))
            )
        )
        .order_by("-listed_on", "-pk")
    )


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
    median_days_to_clear: float | None = None


@dataclass
class Summary:
    on: dt.date
    total: Figures = field(default_factory=Figures)
    by_province: dict[str, Figures] = field(default_factory=dict)  # province code -> figures
    by_level: dict[str, Figures] = field(default_factory=dict)
    by_body_kind: dict[str, Figures] = field(default_factory=dict)
    by_record_kind: dict[str, Figures] = field(default_factory=dict)
    by_year: list[YearFigures] = field(default_factory=list)

    def groupings(self, province_names: dict[str, str]) -> list[tuple[str, list[tuple[str, Figures]]]]:
        """Each grouping of the totals as (heading, [(label, figures)]), labels in the active language."""
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


# Column expressions and table names are model metadata, never input; every value is a parameter.
_SUMMARY_SQL = """
SELECT
    GROUPING(province, body.level, body.entity_type, record.kind, listed_year, cleared_year) AS grouping,
    province, body.level, body.entity_type, record.kind, listed_year, cleared_year,
    count(*),
    count(*) FILTER (WHERE record.cleared_on IS NULL),
    count(DISTINCT record.subject_id) FILTER (WHERE record.cleared_on IS NULL),
    coalesce(sum(record.amount) FILTER (WHERE record.cleared_on IS NULL), 0),
    count(*) FILTER (WHERE record.cleared_on IS NOT NULL),
    percentile_cont(0.5) WITHIN GROUP (
        ORDER BY record.cleared_on - coalesce(record.overdue_since, record.listed_on)
    ) FILTER (WHERE record.cleared_on IS NOT NULL)
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
_SET_OF_GROUPING = {0b111111: "total", 0b011111: "province", 0b101111: "level", 0b110111: "body_kind"}
_SET_OF_GROUPING |= {0b111011: "record_kind", 0b111101: "listed_year", 0b111110: "cleared_year"}


def _where(filters: DashboardFilters, on: dt.date) -> tuple[str, list]:
    conditions = ["record.kind = ANY(%s)", "record.listed_on <= %s"]
    params: list = [list(_record_kinds(filters)), on]
    if filters.province:
        conditions.append("body.region_id LIKE %s")
        params.append(filters.province[:2] + "%")
    if filters.level:
        conditions.append("body.level = %s")
        params.append(filters.level)
    if filters.body_kind:
        conditions.append("body.entity_type = %s")
        params.append(filters.body_kind)
    if filters.state == "open":
        conditions.append("record.cleared_on IS NULL")
    elif filters.state == "cleared":
        conditions.append("record.cleared_on IS NOT NULL")
    return " AND ".join(conditions), params


def _summary_from_database(filters: DashboardFilters, on: dt.date) -> Summary:
    where, params = _where(filters, on)
    sql = _SUMMARY_SQL.format(
        records=DishonestyRecord._meta.db_table, bodies=Enterprise._meta.db_table, where=where
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    summary = Summary(on=on)
    listed: dict[int, int] = {}
    cleared: dict[int, tuple[int, float | None]] = {}
    for grouping, province, level, body_kind, kind, listed_year, cleared_year, *values in rows:
        figures = Figures(
            records=values[0],
            open=values[1],
            open_bodies=values[2],
            open_amount=Decimal(values[3]),
            cleared=values[4],
            median_days_to_clear=float(values[5]) if values[5] is not None else None,
        )
        grouping_set = _SET_OF_GROUPING[grouping]
        if grouping_set == "total":
            summary.total = figures
        elif grouping_set == "province":
            summary.by_province[province] = figures
        elif grouping_set == "level":
            summary.by_level[level] = figures
        elif grouping_set == "body_kind":
            summary.by_body_kind[body_kind] = figures
        elif grouping_set == "record_kind":
            summary.by_record_kind[kind] = figures
        elif grouping_set == "listed_year":
            listed[listed_year] = figures.records
        elif cleared_year is not None:  # the group of records not cleared has no year
            cleared[cleared_year] = (figures.cleared, figures.median_days_to_clear)
    summary.by_year = _years(listed, cleared, on)
    return summary


def _years(
    listed: dict[int, int], cleared: dict[int, tuple[int, float | None]], on: dt.date
) -> list[YearFigures]:
    """Every year from the first listing to ``on``'s: listed, cleared and still open at its end."""
    if not listed:
        return []
    years, backlog = [], 0
    for year in range(min(listed), on.year + 1):
        cleared_count, median = cleared.get(year, (0, None))
        backlog += listed.get(year, 0) - cleared_count
        years.append(YearFigures(year, listed.get(year, 0), cleared_count, backlog, median))
    return years


def dashboard_summary(*, filters: DashboardFilters, on: dt.date) -> Summary:
    """The dashboard's figures for ``filters`` on ``on``, kept for a few minutes per filter set."""
    key = filters.cache_key(on)
    summary = cache.get(key)
    if summary is None:
        summary = _summary_from_database(filters, on)
        cache.set(key, summary, SUMMARY_CACHE_SECONDS)
    return summary


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
    for record in dashboard_rows(filters=filters, on=on).iterator(chunk_size=2000):
        body, agency = record.subject, record.recording_agency
        yield [
            body.name,
            body.uscc,
            province_names.get(body.region_id[:2] + "0000", ""),
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
