"""Reads of the change feed: the latest timepoint, the replay window and pages of events."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from opendata.feed.events import PublishedEvent, published_events
from opendata.models import FeedEvent, FeedPruning

MIN_RETENTION_DAYS = 90
POLL_INTERVAL = 0.25


def feed_retention_days() -> int:
    """Days an event stays in the replay window (OPEN_DATA_FEED_RETENTION_DAYS, never under 90)."""
    return max(
        MIN_RETENTION_DAYS, int(getattr(settings, "OPEN_DATA_FEED_RETENTION_DAYS", MIN_RETENTION_DAYS))
    )


def feed_window_start(*, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=feed_retention_days())


def feed_timepoint_now() -> int:
    """The latest committed timepoint: of the newest event, or the feed's start (the first
    timepoint, recorded as pruned when the triggers were installed) before any change.

    Read inside the export's repeatable-read transaction, it is the timepoint the snapshot is
    consistent with: timepoints are taken in commit order, so every event up to it is in the
    snapshot and none after it."""
    event = FeedEvent.objects.aggregate(latest=Max("timepoint"))["latest"] or 0
    pruned = FeedPruning.objects.aggregate(through=Max("pruned_through"))["through"] or 0
    return max(event, pruned)


def feed_horizon(*, now: dt.datetime | None = None) -> int:
    """The highest timepoint outside the replay window: a cursor below it may have missed events.

    Events older than the window count as gone whether or not the pruning job has deleted them
    yet, so the answer does not depend on when the job last ran."""
    pruned = FeedPruning.objects.aggregate(through=Max("pruned_through"))["through"] or 0
    expired = (
        FeedEvent.objects.filter(published_at__lt=feed_window_start(now=now)).aggregate(
            latest=Max("timepoint")
        )["latest"]
        or 0
    )
    return max(pruned, expired)


@dataclass(frozen=True)
class FeedPage:
    events: list[PublishedEvent]
    # The cursor to continue from: the last timepoint read, whether or not it published anything.
    next: int
    has_more: bool


def feed_page(*, after: int, datasets: list[str] | None = None, limit: int = 100) -> FeedPage:
    """Up to ``limit`` recorded events after ``after`` (of ``datasets``, or all), published.

    A recorded event may publish nothing (a row that is not public), so a page may hold fewer
    events than ``limit`` while ``has_more`` is true; ``next`` still moves past them."""
    recorded = FeedEvent.objects.filter(timepoint__gt=after).order_by("timepoint")
    if datasets:
        recorded = recorded.filter(dataset__in=datasets)
    batch = list(recorded[: limit + 1])
    has_more = len(batch) > limit
    batch = batch[:limit]
    return FeedPage(
        events=published_events(batch),
        next=batch[-1].timepoint if batch else after,
        has_more=has_more,
    )


def feed_wait_for_page(
    *,
    after: int,
    datasets: list[str] | None = None,
    limit: int = 100,
    wait: float = 0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> FeedPage:
    """``feed_page``, waiting up to ``wait`` seconds for something to publish (long poll): the
    table is read again every quarter second, each read in its own autocommit query so a change
    committed meanwhile is seen."""
    deadline = clock() + wait
    while True:
        page = feed_page(after=after, datasets=datasets, limit=limit)
        if page.events or page.has_more or clock() >= deadline:
            return page
        after = page.next
        sleep(min(POLL_INTERVAL, max(0.0, deadline - clock())))
