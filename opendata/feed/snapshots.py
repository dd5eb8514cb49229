"""Where a client whose cursor left the replay window starts again."""

from __future__ import annotations


def latest_snapshot_reference() -> dict:
    return {"url": "/open-data/", "timepoint": None, "created_at": None}
