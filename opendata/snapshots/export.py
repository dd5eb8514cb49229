"""The bulk export: every dataset from one consistent database snapshot, published atomically.

All datasets are read in one REPEATABLE READ, READ ONLY transaction, so they agree with each other
and with the feed timepoint read at its start. PostgreSQL formats the rows (opendata.datasets.sql)
and streams them through COPY in blocks straight into the compressor, so memory stays flat however
large the tables. The files are written into a hidden
directory next to the published ones and renamed into place only when complete: a reader sees a
whole snapshot or none, and a failed export leaves the previous snapshots as they were.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from opendata.datasets import DATASETS, Dataset, clear_lookups, dataset
from opendata.datasets.sql import csv_copy_sql, jsonl_copy_sql
from opendata.selectors import feed_timepoint_now

from .files import GzipWriter
from .listing import LICENCE, MANIFEST, PARTIAL_PREFIX, snapshot_names

MANIFEST_FORMAT = 1
# A partial directory this old was left by an export that was killed, not one still running.
STALE_PARTIAL_SECONDS = 24 * 3600
EXPORT_WORK_MEM = "256MB"
COPY_BLOCK_BYTES = 1 << 20


class ExportInTransaction(RuntimeError):
    pass


def _snapshot_name(moment: dt.datetime, root: Path) -> str:
    name = moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    taken = set(snapshot_names(root))
    candidate, suffix = name, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{name}-{suffix}"
    return candidate


def _copy_into(writer: GzipWriter, sql: str, *, source=None) -> int:
    """Stream a COPY read on ``source`` (default: Django's connection) into ``writer``; returns the
    number of lines.

    PostgreSQL sends a COPY one row per message. The rows are gathered into blocks of
    ``COPY_BLOCK_BYTES`` before they go to the compressing thread: handing over each row (a queue
    operation and a thread switch under the GIL) held the export to one core at about 12,000
    rows a second while the database and the compressor idled (docs/performance.md)."""
    lines = 0
    block = bytearray()
    with (source or connection).cursor() as cursor, cursor.copy(sql) as copy:
        for row in copy:
            block += row
            if len(block) >= COPY_BLOCK_BYTES:
                lines += block.count(b"\n")
                writer.write_bytes(block)
                block = bytearray()
    if block:
        lines += block.count(b"\n")
        writer.write_bytes(block)
    return lines


def _bind_today(each: Dataset, sql: str, today: dt.date) -> str:
    # COPY takes no parameters: the one value, a date, is written as a literal (digits and dashes).
    return sql.replace("%(today)s", f"DATE '{today.isoformat()}'")


def _write_file(path: Path, sql: str, *, source=None) -> tuple[int, dict]:
    writer = GzipWriter(path)
    try:
        rows = _copy_into(writer, sql, source=source)
        return rows, writer.close()
    except BaseException:
        writer.abandon()
        raise


def _export_dataset(
    each: Dataset,
    directory: Path,
    *,
    today: dt.date,
    second: psycopg.Connection,
    progress: Callable[[str], None],
) -> dict:
    """The dataset's JSON Lines file read on Django's connection and, at the same time, its CSV
    file on ``second`` (the same snapshot): two backends format and two threads compress."""
    started = time.perf_counter()
    names = {"csv": f"{each.name}.csv.gz", "jsonl": f"{each.name}.jsonl.gz"}
    csv_sql = _bind_today(each, csv_copy_sql(each), today)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-csv") as pool:
        csv_file = pool.submit(_write_file, directory / names["csv"], csv_sql, source=second)
        try:
            jsonl_rows, jsonl_entry = _write_file(
                directory / names["jsonl"], _bind_today(each, jsonl_copy_sql(each), today)
            )
        finally:
            csv_rows, csv_entry = csv_file.result()
    if csv_rows != jsonl_rows + 1:  # the CSV file has a header line
        raise RuntimeError(
            f"{each.name}: {jsonl_rows} JSON lines but {csv_rows - 1} CSV rows from one snapshot"
        )
    listed = [
        {"name": names["csv"], "format": "csv", **csv_entry},
        {"name": names["jsonl"], "format": "jsonl", **jsonl_entry},
    ]
    seconds = time.perf_counter() - started
    progress(f"{each.name}: {jsonl_rows:,} rows in {seconds:.1f} s")
    return {
        "dataset": each.name,
        "title_en": each.title_en,
        "title_zh": each.title_zh,
        "schema_version": each.schema_version,
        "rows": jsonl_rows,
        "columns": each.column_dictionary(),
        "files": listed,
    }


@contextlib.contextmanager
def _second_reader() -> Iterator[psycopg.Connection]:
    """A second connection that reads the export transaction's snapshot (``pg_export_snapshot``,
    as ``pg_dump --jobs`` does): whatever it reads agrees with the first connection to the row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
    second = connection.get_new_connection(connection.get_connection_params())
    try:
        second.autocommit = True  # its own BEGIN: the isolation level comes before any read
        with second.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot_id)))
            cursor.execute(f"SET LOCAL work_mem = '{EXPORT_WORK_MEM}'")
        yield second
        with second.cursor() as cursor:
            cursor.execute("COMMIT")
    finally:
        second.close()


def _remove_stale_partials(root: Path) -> None:
    for path in root.glob(f"{PARTIAL_PREFIX}*"):
        if time.time() - path.stat().st_mtime > STALE_PARTIAL_SECONDS:
            shutil.rmtree(path, ignore_errors=True)


def prune_snapshots(root: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` snapshots; returns the names deleted."""
    names = snapshot_names(root)
    doomed = names[: max(0, len(names) - keep)]
    for name in doomed:
        # Renamed out of the listing first, so a half-deleted snapshot is never listed.
        hidden = root / f"{PARTIAL_PREFIX}deleting-{name}"
        os.rename(root / name, hidden)
        shutil.rmtree(hidden, ignore_errors=True)
    return doomed


def snapshot_export(
    *,
    names: Sequence[str] | None = None,
    root: Path | None = None,
    keep: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> Path:
    """Export ``names`` (default: every dataset) as a new snapshot under ``root``; returns its path.

    Raises :class:`opendata.datasets.UnknownDataset` for a name that is not a dataset, before
    anything is written.
    """
    chosen = [dataset(name) for name in names] if names else list(DATASETS.values())
    root = Path(root or settings.OPEN_DATA_ROOT)
    keep = settings.OPEN_DATA_KEEP_SNAPSHOTS if keep is None else keep
    if keep < 1:
        raise ValueError("At least one snapshot must be kept.")
    if connection.in_atomic_block:
        raise ExportInTransaction(
            "The export opens its own repeatable-read transaction; call it outside one."
        )
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(root)
    partial = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=root))
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # One backend joins millions of rows to the register: with the default 4 MB its
                # hash joins split into batches on disk and its sorts spill.
                cursor.execute(f"SET LOCAL work_mem = '{EXPORT_WORK_MEM}'")
            # The first read fixes the transaction's snapshot: the timepoint and every row agree.
            timepoint = feed_timepoint_now()
            generated_at = timezone.now()
            today = timezone.localdate(generated_at)
            clear_lookups()
            with _second_reader() as second:
                datasets = [
                    _export_dataset(each, partial, today=today, second=second, progress=progress)
                    for each in chosen
                ]
        name = _snapshot_name(generated_at, root)
        manifest = {
            "format": MANIFEST_FORMAT,
            "snapshot": name,
            "generated_at": generated_at.astimezone(dt.UTC).isoformat(),
            "timepoint": timepoint,
            "licence": LICENCE,
            "datasets": datasets,
        }
        with open(partial / MANIFEST, "x", encoding="utf-8") as file:
            json.dump(manifest, file, ensure_ascii=False, indent=1)
            file.flush()
            os.fsync(file.fileno())
        partial.chmod(0o755)
        target = root / name
        os.rename(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        clear_lookups()
    prune_snapshots(root, keep)
    return target
