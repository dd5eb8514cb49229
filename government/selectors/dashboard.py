"""The public government-defaulters dashboard: its rows and its figures, computed in SQL.

A row is a court-defaulter, unperformed-judgment or arrears record (``DEFAULTER_KINDS``) of a public
body, open or cleared. Days outstanding run from the listed date to the cleared date, or to ``on``
(today) while the record is open; days to clear are the same span for cleared records only, and
their median is PostgreSQL's ``percentile_cont(0.5)``, so no row is fetched to compute a figure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Left, TruncMonth, TruncYear
from django.utils import timezone

from government.models import DEFAULTER_KINDS, DishonestyRecord


class DaysBetween(Func):
    """``end - start`` for two dates: PostgreSQL gives whole days as an integer."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


class Median(Aggregate):
    """The median of the non-null values (nulls, e.g. open records' days to clear, are skipped)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


GROUPS = {
    # key -> the expression rows are grouped by
    "province": Concat(Left("subject__region_id", 2), Value("0000"), output_field=CharField()),
    "level": F("subject__level"),
    "body_kind": F("subject__entity_type"),
    "record_kind": F("kind"),
}
PERIODS = {"year": TruncYear, "month": TruncMonth}


@dataclass(frozen=True)
class DashboardFilters:
    province: str = ""  # a province code, e.g. 360000
    level: str = ""
    body_kind: str = ""  # an Enterprise.EntityType of a public body
    record_kind: str = ""  # one of DEFAULTER_KINDS
    open_only: bool = False
    cleared_only: bool = False


def _filtered(filters: DashboardFilters | None) -> QuerySet[DishonestyRecord]:
    records = DishonestyRecord.objects.filter(kind__in=DEFAULTER_KINDS)
    if filters is None:
        return records
    if filters.province:
        records = records.filter(subject__region__code__startswith=filters.province[:2])
    if filters.level:
        records = records.filter(subject__level=filters.level)
    if filters.body_kind:
        records = records.filter(subject__entity_type=filters.body_kind)
    if filters.record_kind:
        records = records.filter(kind=filters.record_kind)
    if filters.open_only:
        records = records.filter(cleared_on__isnull=True)
    if filters.cleared_only:
        records = records.filter(cleared_on__isnull=False)
    return records


def _days_outstanding(on: dt.date) -> DaysBetween:
    return DaysBetween(Coalesce(F("cleared_on"), Value(on)), F("listed_on"))


def government_defaulter_rows(
    *, filters: DashboardFilters | None = None, on: dt.date | None = None
) -> QuerySet[DishonestyRecord]:
    """The rows behind the dashboard, newest listing first, each with ``days_outstanding`` and
    ``province_code``; the body and the court (recording agency) come in the same query."""
    on = on or timezone.localdate()
    return (
        _filtered(filters)
        .select_related("subject", "recording_agency")
        .only(
            "kind",
            "document_number",
            "case_number",
            "listed_on",
            "amount",
            "overdue_since",
            "cleared_on",
            "cleared_how",
            "subject__name",
            "subject__uscc",
            "subject__entity_type",
            "subject__level",
            "subject__region_id",
            "recording_agency__name_zh",
            "recording_agency__name_en",
        )
        .annotate(days_outstanding=_days_outstanding(on), province_code=GROUPS["province"])
        .order_by("-listed_on", "-pk")
    )


def _figures(on: dt.date) -> dict:
    open_ = Q(cleared_on__isnull=True)
    money = DecimalField(max_digits=20, decimal_places=2)
    return {
        "records": Count("pk"),
        "bodies": Count("subject_id", distinct=True),
        "open_records": Count("pk", filter=open_),
        "open_bodies": Count("subject_id", filter=open_, distinct=True),
        "cleared_records": Count("pk", filter=~open_),
        "total_amount": Coalesce(Sum("amount"), Value(0), output_field=money),
        "open_amount": Coalesce(Sum("amount", filter=open_), Value(0), output_field=money),
        "median_days_to_clear": Median(DaysBetween(F("cleared_on"), F("listed_on"))),
        "median_days_open": Median(DaysBetween(Value(on), F("listed_on")), filter=open_),
    }


def government_defaulter_summary(
    *, filters: DashboardFilters | None = None, on: dt.date | None = None
) -> dict:
    """The dashboard's headline figures in one query (see ``_figures`` for the keys)."""
    on = on or timezone.localdate()
    return _filtered(filters).aggregate(**_figures(on))


def government_defaulter_breakdown(
    *,
    group: str,
    period: str = "",
    filters: DashboardFilters | None = None,
    on: dt.date | None = None,
) -> list[dict]:
    """The figures per ``group`` (province, level, body_kind or record_kind), and per listed year or
    month when ``period`` is given ("year" or "month"): one query, rows ordered by group then period.

    Each row holds ``group`` (a province code, level, kind) and ``period`` (the first day of the year
    or month, or None) beside the keys of ``government_defaulter_summary``."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; one of {sorted(GROUPS)}")
    if period and period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; one of {sorted(PERIODS)}")
    on = on or timezone.localdate()
    keys = {"group": GROUPS[group]}
    if period:
        keys["period"] = PERIODS[period]("listed_on")
    rows = _filtered(filters).annotate(**keys).values(*keys).annotate(**_figures(on)).order_by(*keys)
    return [{"period": None, **row} for row in rows]


# The figures read every defaulter record (medians need them all), too slow to run on each view of
# a public page at the scale of the benchmark (docs/performance.md). They change only when a record
# is written or the day turns, so they are cached per day and filter set: the record services clear
# them on commit (``dashboard_figures_clear``), and the timeout bounds how long another process with
# its own memory cache can show figures older than a write.
FIGURES_SECONDS = 300
_FIGURES_VERSION_KEY = "government:figures:version"


def _figures_key(*parts: object) -> str:
    version = cache.get_or_set(_FIGURES_VERSION_KEY, 1, timeout=None)
    # Hashed: filters hold spaces and quotes, which some cache backends refuse in a key.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"government:figures:{version}:{digest}"


def dashboard_figures_clear() -> None:
    """Forget every cached figure: the next view recomputes them."""
    try:
        cache.incr(_FIGURES_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): nothing cached under a version to forget
        cache.set(_FIGURES_VERSION_KEY, 2, timeout=None)


def government_dashboard_figures(
    *,
    groups: tuple[str, ...] = ("province", "level", "body_kind"),
    period: str = "year",
    filters: DashboardFilters | None = None,
    on: dt.date | None = None,
) -> dict:
    """The summary and, per group, the breakdown over ``period``, cached (see ``FIGURES_SECONDS``).

    ``{"summary": {...}, "breakdowns": {group: [rows]}}`` as ``government_defaulter_summary`` and
    ``government_defaulter_breakdown`` give them."""
    on = on or timezone.localdate()
    key = _figures_key(on.isoformat(), period, ",".join(groups), repr(filters or DashboardFilters()))
    figures = cache.get(key)
    if figures is None:
        figures = {
            "summary": government_defaulter_summary(filters=filters, on=on),
            "breakdowns": {
                group: government_defaulter_breakdown(group=group, period=period, filters=filters, on=on)
                for group in groups
            },
        }
        cache.set(key, figures, FIGURES_SECONDS)
    return figures
