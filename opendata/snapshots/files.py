"""Write one dataset as a gzip'd CSV and a gzip'd JSON Lines file, hashing as it goes.

Rows are formatted in the calling thread and compressed in a second one: zlib releases the GIL,
so on two cores formatting and compression overlap. Each file's SHA-256 and size are of the
compressed bytes, as they are served.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import queue
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

GZIP_LEVEL = 6
_STOP = object()


class HashingFile:
    """A binary file that counts and hashes what is written to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "xb")  # noqa: SIM115 - closed by close()
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def discard(self) -> None:
        self._file.close()


class GzipWriter:
    """A gzip member written by a background thread from chunks of text."""

    def __init__(self, path: Path) -> None:
        self.raw = HashingFile(path)
        # No file name and a zero time in the header: the same rows give the same bytes.
        self.gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, compresslevel=GZIP_LEVEL, mtime=0)
        self.chunks: queue.Queue = queue.Queue(maxsize=8)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while (chunk := self.chunks.get()) is not _STOP:
                self.gzip.write(chunk)
        except BaseException as exc:  # surfaced by write() and close() in the caller's thread
            self.error = exc
            while self.chunks.get() is not _STOP:
                pass

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.chunks.put(data)

    def close(self) -> dict:
        self.chunks.put(_STOP)
        self.thread.join()
        if self.error is not None:
            raise self.error
        self.gzip.close()
        self.raw.close()
        return {"size": self.raw.size, "sha256": self.raw.sha256.hexdigest()}

    def abandon(self) -> None:
        self.chunks.put(_STOP)
        self.thread.join()
        self.raw.discard()


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return value


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


class DatasetFiles:
    """The CSV and JSON Lines files of one dataset in a snapshot directory."""

    def __init__(self, directory: Path, name: str, columns: list[str]) -> None:
        self.names = {"csv": f"{name}.csv.gz", "jsonl": f"{name}.jsonl.gz"}
        self.csv = GzipWriter(directory / self.names["csv"])
        self.jsonl = GzipWriter(directory / self.names["jsonl"])
        self.columns = columns
        self.rows = 0
        header = io.StringIO()
        csv.writer(header, lineterminator="\r\n").writerow(columns)
        self.csv.write(header.getvalue())

    def write_batch(self, records: Iterable[dict]) -> None:
        csv_text = io.StringIO()
        writer = csv.writer(csv_text, lineterminator="\r\n")
        lines = []
        columns = self.columns
        count = 0
        for record in records:
            writer.writerow([csv_cell(record[column]) for column in columns])
            lines.append(json_line(record))
            count += 1
        self.csv.write(csv_text.getvalue())
        self.jsonl.write("".join(lines))
        self.rows += count

    def close(self) -> list[dict]:
        return [
            {"name": self.names["csv"], "format": "csv", **self.csv.close()},
            {"name": self.names["jsonl"], "format": "jsonl", **self.jsonl.close()},
        ]

    def abandon(self) -> None:
        self.csv.abandon()
        self.jsonl.abandon()
