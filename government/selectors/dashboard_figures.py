"""The dashboard's figures: the one way they are computed, and how the page reads them stored.

The figures are computed in two steps, both here and nowhere else:

1. ``cells_from_database``: one pass over the dashboard's rows (two statements) sums them per
   province, level, kind of body and kind of record into ``Cell``s: counts, the open amount, the
   bodies with open records, the records listed per year, and for cleared records a histogram of
   (year cleared, days to clear). Days to clear run from the listed date to the cleared date.
2. ``figures_from_cells``: the figures for a set of filters summed from the cells: totals, every
   grouping (province, level, kind of body, kind of record) and the years; each median is read
   off the summed histogram, as PostgreSQL's ``percentile_cont(0.5)`` would give it (with an even
   number, the mean of the middle two).

The job queue runs step 1 after each write and stores the cells and the figures of the common
filter sets (``government.services.dashboard``); the page reads them with
``government.selectors.dashboard_stored.dashboard_figures``: one query, no record read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.utils.translation import gettext as _

from government.models import DEFAULTER_KINDS, DashboardCell, DishonestyRecord
from government.selectors.dashboard import DashboardFilters
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
    computed_at: dt.datetime | None = None  # None: never computed (no worker has run yet)
    total: Figures = field(default_factory=Figures)
    by_province: dict[str, Figures] = field(default_factory=dict)  # province code -> figures
    by_level: dict[str, Figures] = field(default_factory=dict)
    by_body_kind: dict[str, Figures] = field(default_factory=dict)
    by_record_kind: dict[str, Figures] = field(default_factory=dict)
    listed: dict[int, int] = field(default_factory=dict)  # year -> records listed
    cleared: dict[int, tuple[int, float | None]] = field(default_factory=dict)  # year -> (n, median)

    def years(self, on: dt.date) -> list[YearFigures]:
        """Every year from the first listing to ``on``'s: listed, cleared, and still open at its end.

        Counted here, not stored, so the stored figures reach the current year without a recompute."""
        if not self.listed:
            return []
        years, backlog = [], 0
        for year in range(min(self.listed), max(on.year, *self.listed) + 1):
            cleared_count, median = self.cleared.get(year, (0, None))
            backlog += self.listed.get(year, 0) - cleared_count
            years.append(YearFigures(year, self.listed.get(year, 0), cleared_count, backlog, median))
        return years

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


@dataclass
class Cell:
    """The dashboard's rows of one province, level, kind of body and kind of record, summed.

    With no kind of record (``record_kind == ""``) only ``open_bodies`` is set: the bodies with open
    records of any kind, which cannot be summed from the kinds' cells (a body would count twice)."""

    province: str
    level: str
    body_kind: str
    record_kind: str
    open: int = 0
    open_amount: Decimal = Decimal(0)
    open_bodies: int = 0
    listed_open: Counter = field(default_factory=Counter)  # listed year -> open records
    listed_cleared: Counter = field(default_factory=Counter)  # listed year -> cleared records
    cleared_days: Counter = field(default_factory=Counter)  # (cleared year, days to clear) -> records

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.province, self.level, self.body_kind, self.record_kind

    @cached_property
    def days_to_clear(self) -> Counter:
        """Days to clear -> cleared records, over every year (summed once, used by every filter set)."""
        days: Counter = Counter()
        for (_year, span), n in self.cleared_days.items():
            days[span] += n
        return days

    def as_json(self) -> dict:
        return {
            "open": self.open,
            "open_amount": str(self.open_amount),
            "open_bodies": self.open_bodies,
            "listed_open": [[year, n] for year, n in sorted(self.listed_open.items())],
            "listed_cleared": [[year, n] for year, n in sorted(self.listed_cleared.items())],
            "cleared_days": [[year, days, n] for (year, days), n in sorted(self.cleared_days.items())],
        }

    @classmethod
    def from_row(cls, row: DashboardCell) -> Cell:
        data = row.figures
        return cls(
            row.province,
            row.level,
            row.body_kind,
            row.record_kind,
            open=data.get("open", 0),
            open_amount=Decimal(data.get("open_amount", "0")),
            open_bodies=data.get("open_bodies", 0),
            listed_open=Counter(dict(data.get("listed_open", []))),
            listed_cleared=Counter(dict(data.get("listed_cleared", []))),
            cleared_days=Counter({(year, days): n for year, days, n in data.get("cleared_days", [])}),
        )


# Table names are model metadata, never input; every value is a parameter.
_CELLS_SQL = """
SELECT left(body.region_id, 2) || '0000', body.level, body.entity_type, record.kind,
       extract(year FROM record.listed_on)::int, extract(year FROM record.cleared_on)::int,
       record.cleared_on - record.listed_on,
       count(*), coalesce(sum(record.amount) FILTER (WHERE record.cleared_on IS NULL), 0)
FROM {records} record
JOIN {bodies} body ON body.id = record.subject_id
WHERE record.kind = ANY(%s)
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
# Bodies with open records, per kind of record and over every kind (GROUPING(kind) = 1).
_OPEN_BODIES_SQL = """
SELECT GROUPING(open_record.kind), province, level, entity_type, open_record.kind, count(DISTINCT subject_id)
FROM (
    SELECT left(body.region_id, 2) || '0000' AS province, body.level, body.entity_type, record.kind,
           record.subject_id
    FROM {records} record
    JOIN {bodies} body ON body.id = record.subject_id
    WHERE record.kind = ANY(%s) AND record.cleared_on IS NULL
) open_record
GROUP BY GROUPING SETS ((province, level, entity_type, open_record.kind), (province, level, entity_type))
"""


def cells_from_database() -> list[Cell]:
    """Every dashboard row summed into cells: the first step of the one computation of the figures."""
    tables = {"records": DishonestyRecord._meta.db_table, "bodies": Enterprise._meta.db_table}
    kinds = [str(kind) for kind in DEFAULTER_KINDS]
    cells: dict[tuple[str, str, str, str], Cell] = {}

    def cell(*key: str) -> Cell:
        if key not in cells:
            cells[key] = Cell(*key)
        return cells[key]

    with connection.cursor() as cursor:
        cursor.execute(_CELLS_SQL.format(**tables), [kinds])
        for province, level, body_kind, kind, listed_year, cleared_year, days, n, amount in cursor:
            found = cell(province, level or "", body_kind, kind)
            if cleared_year is None:
                found.open += n
                found.open_amount += Decimal(amount)
                found.listed_open[listed_year] += n
            else:
                found.listed_cleared[listed_year] += n
                found.cleared_days[cleared_year, days] += n
        cursor.execute(_OPEN_BODIES_SQL.format(**tables), [kinds])
        for every_kind, province, level, body_kind, kind, bodies in cursor:
            cell(province, level or "", body_kind, "" if every_kind else kind).open_bodies = bodies
    return list(cells.values())


def _median(histogram: Counter) -> float | None:
    """The median of values counted in ``histogram`` (value -> how many), as percentile_cont(0.5)."""
    count = sum(histogram.values())
    if not count:
        return None
    low_index, high_index = (count - 1) // 2, count // 2
    seen, low = 0, None
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_index:
            low = value
        if seen > high_index:
            return (low + value) / 2
    raise AssertionError("unreachable: the counts sum to count")


class _Tally:
    __slots__ = ("cleared", "days", "open", "open_amount", "open_bodies")

    def __init__(self) -> None:
        self.open = self.cleared = self.open_bodies = 0
        self.open_amount = Decimal(0)
        self.days: Counter = Counter()

    def figures(self) -> Figures:
        return Figures(
            records=self.open + self.cleared,
            open=self.open,
            open_bodies=self.open_bodies,
            open_amount=self.open_amount,
            cleared=self.cleared,
            median_days_to_clear=_median(self.days),
        )


def _matches(cell: Cell, filters: DashboardFilters) -> bool:
    return (
        (not filters.province or cell.province == filters.province[:2] + "0000")
        and (not filters.level or cell.level == filters.level)
        and (not filters.body_kind or cell.body_kind == filters.body_kind)
        and (not filters.record_kind or cell.record_kind in (filters.record_kind, ""))
    )


def figures_from_cells(
    cells: list[Cell], filters: DashboardFilters, *, computed_at: dt.datetime | None = None
) -> DashboardFigures:
    """The figures for ``filters`` summed from ``cells``: the second step of the one computation."""
    every_kind = not filters.record_kind
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    listed: Counter = Counter()
    cleared_by_year: dict[int, Counter] = defaultdict(Counter)
    for cell in cells:
        if not _matches(cell, filters):
            continue
        body_groups = [
            tallies["total", ""],
            tallies["province", cell.province],
            tallies["level", cell.level],
            tallies["body_kind", cell.body_kind],
        ]
        bodies = 0 if filters.cleared_only else cell.open_bodies
        if cell.record_kind == "":
            if every_kind:
                for tally in body_groups:
                    tally.open_bodies += bodies
            continue
        record_group = tallies["record_kind", cell.record_kind]
        record_group.open_bodies += bodies
        if not every_kind:  # one kind of record: its cells count the bodies
            for tally in body_groups:
                tally.open_bodies += bodies
        open_, cleared = (0, 0) if filters.cleared_only else (cell.open, 0)
        if not filters.open_only:
            cleared = sum(cell.listed_cleared.values())
        days = cell.days_to_clear
        if cleared:
            for (year, span), n in cell.cleared_days.items():
                cleared_by_year[year][span] += n
            listed.update(cell.listed_cleared)
        if open_:
            listed.update(cell.listed_open)
        for tally in (*body_groups, record_group):
            tally.open += open_
            tally.cleared += cleared
            if open_:
                tally.open_amount += cell.open_amount
            if cleared:
                tally.days.update(days)
    grouped: dict[str, dict[str, Figures]] = defaultdict(dict)
    for (grouping, key), tally in tallies.items():
        if tally.open or tally.cleared:
            grouped[grouping][key] = tally.figures()
    return DashboardFigures(
        computed_at=computed_at,
        total=grouped["total"].get("", Figures()),
        by_province=grouped["province"],
        by_level=grouped["level"],
        by_body_kind=grouped["body_kind"],
        by_record_kind=grouped["record_kind"],
        listed={year: n for year, n in sorted(listed.items()) if n},
        cleared={
            year: (sum(histogram.values()), _median(histogram))
            for year, histogram in sorted(cleared_by_year.items())
        },
    )
