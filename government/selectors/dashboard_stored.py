"""The dashboard's figures as stored by the job queue: their names, their JSON, and the page's read.

``DashboardSnapshot`` rows hold the figures of the common filter sets as JSON under a name made of
the filters (``filters_key``); ``DashboardCell`` rows hold the cells any other filter set is summed
from (``government.selectors.dashboard_figures``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q

from government.models import DashboardCell, DashboardSnapshot
from government.selectors.dashboard import DashboardFilters
from government.selectors.dashboard_figures import Cell, DashboardFigures, Figures, figures_from_cells

SUMMED_FIGURES_SECONDS = 24 * 3600
# Rows a dashboard page may walk in the newest-first index before it reads them through the
# matching bodies instead (``rows_are_sparse``). Measured at 200,000 records: the walk costs about
# 3.4 microseconds a row (1,143 rows 4 ms, the 160,000 of an empty combination 330 ms), the read
# through the bodies 20-60 ms whatever the filter.
WALK_LIMIT = 10_000


def filters_key(filters: DashboardFilters) -> str:
    """The stored figures' name for a set of filters ("" for none), e.g. ``province=340000&state=open``."""
    parts = [
        ("province", filters.province),
        ("level", filters.level),
        ("kind", filters.body_kind),
        ("record", filters.record_kind),
        ("state", "open" if filters.open_only else "cleared" if filters.cleared_only else ""),
    ]
    return "&".join(f"{name}={value}" for name, value in parts if value)


def is_stored_ready(filters: DashboardFilters) -> bool:
    """Whether the figures of ``filters`` are kept summed (``DashboardSnapshot``), not summed on view:
    no filter, or one of province, level, kind of body and kind of record, each with any state."""
    return (
        sum(
            bool(value) for value in (filters.province, filters.level, filters.body_kind, filters.record_kind)
        )
        <= 1
    )


def _figures_json(figures: Figures) -> list:
    return [
        figures.records,
        figures.open,
        figures.open_bodies,
        str(figures.open_amount),
        figures.cleared,
        figures.median_days_to_clear,
    ]


def _figures_from_json(data: list) -> Figures:
    records, open_, open_bodies, amount, cleared, median = data
    return Figures(records, open_, open_bodies, Decimal(amount), cleared, median)


def figures_as_json(figures: DashboardFigures) -> dict:
    groups = ("by_province", "by_level", "by_body_kind", "by_record_kind")
    return {
        "total": _figures_json(figures.total),
        **{name: {k: _figures_json(f) for k, f in getattr(figures, name).items()} for name in groups},
        "listed": [[year, n] for year, n in figures.listed.items()],
        "cleared": [[year, n, median] for year, (n, median) in figures.cleared.items()],
    }


def figures_from_json(data: dict, *, computed_at: dt.datetime) -> DashboardFigures:
    groups = ("by_province", "by_level", "by_body_kind", "by_record_kind")
    return DashboardFigures(
        computed_at=computed_at,
        total=_figures_from_json(data["total"]),
        **{name: {k: _figures_from_json(f) for k, f in data[name].items()} for name in groups},
        listed={year: n for year, n in data["listed"]},
        cleared={year: (n, median) for year, n, median in data["cleared"]},
    )


def dashboard_figures(*, filters: DashboardFilters) -> DashboardFigures:
    """The figures for ``filters`` as the job queue last stored them: one query, no record read.

    The common filter sets are read ready summed; any other is summed from the cells it covers.
    ``computed_at`` is None when no computation has run yet (the figures are then empty)."""
    key = filters_key(filters)
    if is_stored_ready(filters):
        snapshot = DashboardSnapshot.objects.filter(filters_key=key).first()
        if snapshot is not None:
            return figures_from_json(snapshot.figures, computed_at=snapshot.computed_at)
        # A filter set with no record stores nothing; no filter stored: nothing computed yet.
        return DashboardFigures(computed_at=_last_computation()[1]) if key else DashboardFigures()
    computation, computed_at = _last_computation()
    if computation is None:
        return DashboardFigures()
    # Summing a few hundred cells (their histograms) costs tens of milliseconds a view; the sum
    # stands until the next computation, which replaces every cell and the snapshot read here (a
    # new row: its id names the computation).
    cache_key = f"government:dashboard-figures:{computation}:{key}"
    cached = cache.get(cache_key)
    if cached is not None:
        return figures_from_json(cached, computed_at=computed_at)
    figures = _summed_from_cells(filters, computed_at=computed_at)
    cache.set(cache_key, figures_as_json(figures), SUMMED_FIGURES_SECONDS)
    return figures


def rows_are_sparse(*, filters: DashboardFilters, figures: DashboardFigures, page_size: int) -> bool:
    """Whether a page of rows is better read through the matching bodies than by walking the
    newest-first index (``government_defaulter_rows(few=True)``), judged from the stored figures.

    The walk reads about (page size x all records / matching records) rows until it has found
    its page; past ``WALK_LIMIT`` the bodies' index and a sort cost less."""
    if figures.computed_at is None or filters == DashboardFilters():
        return False
    everything = dashboard_figures(filters=DashboardFilters()).total.records
    return figures.total.records * WALK_LIMIT < (page_size + 1) * everything


def _last_computation() -> tuple[int | None, dt.datetime | None]:
    """The id and time of the last computation's unfiltered snapshot; (None, None) before any."""
    found = DashboardSnapshot.objects.filter(filters_key="").values_list("pk", "computed_at").first()
    return found or (None, None)


def _summed_from_cells(filters: DashboardFilters, *, computed_at: dt.datetime) -> DashboardFigures:
    covered = Q()
    if filters.province:
        covered &= Q(province=filters.province[:2] + "0000")
    for name, value in (("level", filters.level), ("body_kind", filters.body_kind)):
        if value:
            covered &= Q(**{name: value})
    if filters.record_kind:
        covered &= Q(record_kind__in=[filters.record_kind, ""])
    cells = [Cell.from_row(row) for row in DashboardCell.objects.filter(covered)]
    return figures_from_cells(cells, filters, computed_at=computed_at)
