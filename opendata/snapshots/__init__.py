"""Bulk snapshots of the open datasets: the export and the published listing."""

from .export import ExportInTransaction, prune_snapshots, snapshot_export
from .listing import LICENCE, published_snapshots, read_manifest, snapshot_file, snapshot_names

__all__ = [
    "LICENCE",
    "ExportInTransaction",
    "prune_snapshots",
    "published_snapshots",
    "read_manifest",
    "snapshot_export",
    "snapshot_file",
    "snapshot_names",
]
