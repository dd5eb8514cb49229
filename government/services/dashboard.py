"""Computing and storing the dashboard's figures, in the job queue after each write that changes them.

The record services schedule the job when their transaction commits (``dashboard_figures_schedule``);
the job reads every dashboard row once, sums them into cells and stores the cells and the figures
of the common filter sets (``government.selectors.dashboard_figures``), replacing the last ones in
one transaction. The page reads what is stored and says when it was computed.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from government.models import DEFAULTER_KINDS, DashboardCell, DashboardSnapshot, DishonestyRecord
from government.selectors.dashboard import DashboardFilters
from government.selectors.dashboard_figures import Cell, cells_from_database, figures_from_cells
from government.selectors.dashboard_stored import figures_as_json, filters_key
from registry.models import Job
from registry.services.jobs import job_enqueue

DASHBOARD_FIGURES_JOB = "government.dashboard_figures"
# Two workers computing at once would each replace the other's rows; the second waits for the first.
_LOCK = 0x6F76_6461_7368  # "ovdash": any constant not used by another advisory lock
# Bodies moved to another region or level change the figures without a record written: a full
# recompute at least this often catches them.
RECOMPUTE_EVERY = dt.timedelta(days=1)


def stored_filter_sets(cells: list[Cell]) -> list[DashboardFilters]:
    """The filter sets whose figures are stored summed: none, or one of province, level, kind of body
    and kind of record (the values that occur), each with any state (open, cleared or both)."""
    singles = [DashboardFilters()]
    for name, attribute in (
        ("province", "province"),
        ("level", "level"),
        ("body_kind", "body_kind"),
        ("record_kind", "record_kind"),
    ):
        for value in sorted({getattr(cell, attribute) for cell in cells} - {""}):
            singles.append(DashboardFilters(**{name: value}))
    states = ({}, {"open_only": True}, {"cleared_only": True})
    return [DashboardFilters(**{**single.__dict__, **state}) for single in singles for state in states]


def dashboard_figures_compute() -> dict:
    """Recompute every stored figure from the records; what was stored, counted."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        computed_at = timezone.now()
        cells = cells_from_database()
        snapshots = [
            DashboardSnapshot(
                filters_key=filters_key(filters),
                figures=figures_as_json(figures_from_cells(cells, filters)),
                computed_at=computed_at,
            )
            for filters in stored_filter_sets(cells)
        ]
        rows = [
            DashboardCell(
                province=cell.province,
                level=cell.level,
                body_kind=cell.body_kind,
                record_kind=cell.record_kind,
                figures=cell.as_json(),
                computed_at=computed_at,
            )
            for cell in cells
        ]
        DashboardCell.objects.all().delete()
        DashboardSnapshot.objects.all().delete()
        DashboardCell.objects.bulk_create(rows, batch_size=500)
        DashboardSnapshot.objects.bulk_create(snapshots, batch_size=500)
    return {"cells": len(rows), "snapshots": len(snapshots), "computed_at": computed_at.isoformat()}


def dashboard_figures_schedule() -> Job | None:
    """Queue a recompute unless one is already waiting (it will see this write: it has not started).

    Call it once the write has committed (``transaction.on_commit``): a job queued earlier but
    already running may have read the records before the write, so then a new one is queued."""
    if Job.objects.filter(kind=DASHBOARD_FIGURES_JOB, status=Job.Status.QUEUED).exists():
        return None
    return job_enqueue(kind=DASHBOARD_FIGURES_JOB, payload={})


def dashboard_figures_schedule_due(*, now: dt.datetime | None = None) -> Job | None:
    """Queue a recompute when the last one is a day old, or none ever ran and there are records to
    count (records loaded in bulk, without the services that queue it)."""
    now = now or timezone.now()
    last = DashboardSnapshot.objects.filter(filters_key="").values_list("computed_at", flat=True).first()
    if last is not None and last > now - RECOMPUTE_EVERY:
        return None
    if last is None and not DishonestyRecord.objects.filter(kind__in=DEFAULTER_KINDS).exists():
        return None
    return dashboard_figures_schedule()
