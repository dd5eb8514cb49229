"""The public government-defaulters dashboard: its filters and its rows.

A row is a court-defaulter, unperformed-judgment or arrears record (``DEFAULTER_KINDS``) of a public
body, open or cleared. Days outstanding run from the listed date to the cleared date, or to ``on``
(today) while the record is open. The figures over the rows are computed in the job queue and read
stored (``government.selectors.dashboard_figures``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, DateField, F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, Left
from django.utils import timezone

from government.models import DEFAULTER_KINDS, DishonestyRecord


class DaysBetween(Func):
    """``end - start`` for two dates: PostgreSQL gives whole days as an integer."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


class ListedOnUnindexed(Func):
    """``listed_on + 0``: the same date, in an expression no index is ordered by."""

    template = "(%(expressions)s + 0)"
    output_field = DateField()

    def __init__(self):
        super().__init__(F("listed_on"))


PROVINCE = Concat(Left("subject__region_id", 2), Value("0000"), output_field=CharField())


@dataclass(frozen=True)
class DashboardFilters:
    province: str = ""  # a province code, e.g. 360000
    level: str = ""
    body_kind: str = ""  # an Enterprise.EntityType of a public body
    record_kind: str = ""  # one of DEFAULTER_KINDS
    open_only: bool = False
    cleared_only: bool = False


@dataclass(frozen=True)
class RowPosition:
    """Where a page of rows ends: the last row's listed date and id (rows run newest first)."""

    listed_on: dt.date
    pk: int

    def __str__(self) -> str:
        return f"{self.listed_on.isoformat()}_{self.pk}"

    @classmethod
    def parse(cls, text: str) -> RowPosition:
        """``2025-06-01_1234`` as written by ``str``; ValueError when it is not that."""
        day, _, pk = text.partition("_")
        position = cls(dt.date.fromisoformat(day), int(pk))
        if not 0 < position.pk < 2**63:
            raise ValueError(f"no record has the id {pk}")
        return position


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
    *,
    filters: DashboardFilters | None = None,
    on: dt.date | None = None,
    after: RowPosition | None = None,
    few: bool = False,
) -> QuerySet[DishonestyRecord]:
    """The rows behind the dashboard, newest listing first, each with ``days_outstanding`` and
    ``province_code``; the body and the court (recording agency) come in the same query.

    ``after``: only the rows after that position (keyset paging: a later page reads the index from
    where the last one stopped instead of counting past the rows before it).

    ``few``: the caller knows (from the stored figures) that few records match, as for a rare
    level and kind of body. The planner cannot know it (it multiplies the filters' frequencies as
    if they were independent) and walks the newest-first index, past every record of other bodies,
    to fill a page that may never fill: seconds for a combination with no record. Ordering by
    ``listed_on + 0``, which no index provides, leaves it the plan that reads the matching bodies
    through their index and sorts their few records. Same rows, same order."""
    on = on or timezone.localdate()
    rows = _filtered(filters)
    if after is not None:
        rows = rows.filter(Q(listed_on__lt=after.listed_on) | Q(listed_on=after.listed_on, pk__lt=after.pk))
    return (
        rows.select_related("subject", "recording_agency")
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
        .annotate(days_outstanding=_days_outstanding(on), province_code=PROVINCE)
        .order_by(ListedOnUnindexed().desc() if few else F("listed_on").desc(), "-pk")
    )
