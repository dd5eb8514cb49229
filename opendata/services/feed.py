"""Pruning the change feed: events older than the replay window are deleted."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from opendata.models import FeedEvent, FeedPruning
from opendata.selectors.feed import feed_window_start
from registry.models import AuditEntry
from registry.services.audit import SYSTEM, Actor, audit_record

# pg_advisory_xact_lock key of the pruning job ("OD16" + 1), so two workers never prune at once.
PRUNE_LOCK_KEY = 0x4F443137


def feed_prune(
    *, now: dt.datetime | None = None, actor: Actor = SYSTEM, via: str = AuditEntry.Via.SYSTEM
) -> FeedPruning | None:
    """Delete the events published before the replay window and record how far the feed was
    pruned; None when nothing was old enough (or another worker is pruning). The newest event is
    always kept, so the latest timepoint never goes back."""
    now = now or timezone.now()
    cutoff = feed_window_start(now=now)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [PRUNE_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return None
        latest = FeedEvent.objects.aggregate(latest=Max("timepoint"))["latest"]
        old = FeedEvent.objects.filter(published_at__lt=cutoff)
        if latest is not None:
            old = old.exclude(timepoint=latest)
        through = old.aggregate(through=Max("timepoint"))["through"]
        if through is None:
            return None
        deleted, _ = FeedEvent.objects.filter(timepoint__lte=through).delete()
        pruning = FeedPruning(pruned_through=through, pruned_at=now, deleted=deleted)
        pruning.full_clean()
        pruning.save()
        audit_record(
            actor=actor,
            via=via,
            action=AuditEntry.Action.CREATE,
            instance=pruning,
            changes={"pruned_through": [None, through], "deleted": [None, deleted]},
            reason=f"Feed events published before {cutoff.isoformat()} left the replay window.",
        )
        return pruning
