"""Reads of the open-data app that other modules and pages share."""

from __future__ import annotations

from django.db import connection


def feed_timepoint_now() -> int:
    """The latest committed timepoint of the change feed (0 before the first event).

    Read inside the export's repeatable-read transaction, it is the timepoint the snapshot is
    consistent with: the feed takes timepoints in commit order, so every event up to it is in the
    snapshot and none after it.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('opendata_feedevent') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT coalesce(max(timepoint), 0) FROM opendata_feedevent")
        return int(cursor.fetchone()[0])
