"""The published snapshots, read from their manifests on disk.

The directory is the record of what was exported: a snapshot exists exactly when its directory
was renamed into place (with its manifest inside), and is gone when it was pruned. A database row
per snapshot could disagree with the disk (a restore, a copied directory, a crash between the two
writes); the manifests cannot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings

MANIFEST = "manifest.json"
PARTIAL_PREFIX = ".partial-"
SNAPSHOT_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}Z(-[0-9]+)?$")
LICENCE = {
    "name": "CC BY 4.0",
    "title_en": "Creative Commons Attribution 4.0 International",
    "title_zh": "知识共享署名 4.0 国际许可协议",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def snapshot_names(root: Path | None = None) -> list[str]:
    """Names of the published snapshots, oldest first (names sort by the time they were taken)."""
    root = Path(root or settings.OPEN_DATA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        path.name for path in root.iterdir() if SNAPSHOT_NAME.match(path.name) and (path / MANIFEST).is_file()
    )


def read_manifest(name: str, root: Path | None = None) -> dict | None:
    root = Path(root or settings.OPEN_DATA_ROOT)
    if not SNAPSHOT_NAME.match(name):
        return None
    try:
        with open(root / name / MANIFEST, encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError):
        return None


def published_snapshots(root: Path | None = None) -> list[dict]:
    """The manifests of the published snapshots, newest first."""
    manifests = (read_manifest(name, root) for name in reversed(snapshot_names(root)))
    return [manifest for manifest in manifests if manifest is not None]


def snapshot_file(snapshot: str, filename: str, root: Path | None = None) -> tuple[Path, dict] | None:
    """The path and manifest entry of a file the manifest of ``snapshot`` lists, or None."""
    manifest = read_manifest(snapshot, root)
    if manifest is None:
        return None
    for item in manifest["datasets"]:
        for entry in item["files"]:
            if entry["name"] == filename:
                return Path(root or settings.OPEN_DATA_ROOT) / snapshot / filename, entry
    return None
