"""A gzip file written from a second thread, hashed and counted as it is written.

The export reads COPY blocks in the calling thread and compresses them in another: zlib releases
the GIL, so reading and compression overlap. Each file's SHA-256 and size are of the compressed
bytes, as they are served.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import queue
import threading
from pathlib import Path

# Level 3, not zlib's default 6: on the export's JSON Lines and CSV text it compresses more than
# twice as fast (170 against 78 MB per CPU-second) for files about 18 % larger, and compression is
# most of the export's CPU time (docs/performance.md, "Open-data export").
GZIP_LEVEL = 3
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
