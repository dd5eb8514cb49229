"""Where a client whose cursor is outside the replay window starts again: the latest snapshot."""

from __future__ import annotations

from opendata.snapshots.listing import published_snapshots

# The public paths of the open data page and its files (docs/open-data.md, "Where they are served").
SNAPSHOTS_PAGE = "/open-data/"
FILES_PATH = "/open-data/files/"


def latest_snapshot_reference() -> dict:
    """The newest snapshot's name, timepoint and JSON Lines file per dataset (no snapshot yet: the
    page that will list it)."""
    snapshots = published_snapshots()
    if not snapshots:
        return {"page": SNAPSHOTS_PAGE, "name": None, "timepoint": None, "generated_at": None, "files": {}}
    manifest = snapshots[0]
    name = manifest["snapshot"]
    files = {
        each["dataset"]: f"{FILES_PATH}{name}/{entry['name']}"
        for each in manifest["datasets"]
        for entry in each["files"]
        if entry["format"] == "jsonl"
    }
    return {
        "page": SNAPSHOTS_PAGE,
        "name": name,
        "timepoint": manifest["timepoint"],
        "generated_at": manifest["generated_at"],
        "files": files,
    }
