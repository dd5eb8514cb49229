"""Recording what a day's passing changes: rows that become public, or stop being public, with no
write to them (a penalty whose publication period ended yesterday; a list entry whose start date
is today or whose planned end has passed before the expiry job marks it).

The triggers record writes only, so without this a client following the feed would keep a
penalty the snapshot of the next day no longer holds. Once a day (the job queue's hourly task
runs it; the first run of a day does the work) each dataset whose rule depends on the date gets a
``changed`` event for every row whose public state differs between the last day recorded and
today; the event carries that earlier day (``FeedEvent.previous_day``), so reading it publishes
``created`` or ``withdrawn`` as any other change would (``opendata.feed.events``).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from opendata.datasets import DATASETS, Dataset
from opendata.feed.triggers import FEED_LOCK_KEY, SEQUENCE
from opendata.models import FeedDay
from registry.models import AuditEntry
from registry.services.audit import SYSTEM, Actor, audit_record

# pg_advisory_xact_lock key of this job ("OD16" + 2): two workers never record the same day.
DAY_LOCK_KEY = 0x4F443138


def _dated(dataset: Dataset) -> bool:
    return "%(today)s" in dataset.public_sql


def _flipped_sql(dataset: Dataset) -> str:
    """True for a row public on one of the two days and not on the other."""
    today = f"coalesce(({dataset.public_sql}), false)"
    previous = today.replace("%(today)s", "%(previous)s")
    return f"{today} <> {previous}"


def _candidates(dataset: Dataset, *, today: dt.date, previous: dt.date) -> list[int]:
    pk = connection.ops.quote_name(dataset.model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT t.{pk} FROM "{dataset.table}" t WHERE {_flipped_sql(dataset)}',  # noqa: S608
            {"today": today, "previous": previous},
        )
        return [row[0] for row in cursor.fetchall()]


def _record_events(dataset: Dataset, ids: list[int], *, today, previous, now) -> int:
    pk = connection.ops.quote_name(dataset.model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO opendata_feedevent "  # noqa: S608 - names from the dataset definitions
            "(timepoint, published_at, op, dataset, key, row, previous_row, previous_day) "
            f"SELECT nextval('{SEQUENCE}'), %(now)s, 'changed', %(dataset)s, (t.{pk})::text, "
            f'to_jsonb(t), to_jsonb(t), %(previous)s FROM "{dataset.table}" t '
            f"WHERE t.{pk} = ANY(%(ids)s) AND {_flipped_sql(dataset)}",
            {"now": now, "dataset": dataset.name, "previous": previous, "today": today, "ids": ids},
        )
        return cursor.rowcount


def feed_days_record(
    *, now: dt.datetime | None = None, actor: Actor = SYSTEM, via: str = AuditEntry.Via.SYSTEM
) -> FeedDay | None:
    """Record today's passing in the feed (see the module's docstring); None when today is
    already recorded (or another worker is recording it).

    The first run ever compares today with yesterday. After days without a run, the last day
    recorded is compared with today at once: a row that went public and back in between has
    nothing to report."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last = FeedDay.objects.aggregate(last=Max("day"))["last"]
    if last is not None and last >= today:
        return None
    previous = last or today - dt.timedelta(days=1)
    dated = [each for each in DATASETS.values() if _dated(each)]
    # Found first, outside the feed's lock: reading a table of millions of rows must not hold up
    # every write of published data. Found again under the lock, so a row written meanwhile is
    # judged as it is when its event is recorded.
    candidates = {each.name: _candidates(each, today=today, previous=previous) for each in dated}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [DAY_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return None
            if FeedDay.objects.filter(day__gte=today).exists():
                return None
            if any(candidates.values()):
                # The triggers' lock: timepoints stay in commit order (docs/open-data-feed.md).
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])
        events = sum(
            _record_events(each, candidates[each.name], today=today, previous=previous, now=now)
            for each in dated
            if candidates[each.name]
        )
        day = FeedDay(day=today, recorded_at=now, events=events)
        day.full_clean()
        day.save()
        audit_record(
            actor=actor,
            via=via,
            action=AuditEntry.Action.CREATE,
            instance=day,
            changes={"day": [None, today.isoformat()], "events": [None, events]},
            reason=f"Rows made public or not public by the days from {previous} to {today}.",
        )
    return day
