"""Build the COPY text of large imports in worker processes while this process writes.

Workers are forked once the keys are resolved, so they inherit the parsed cases and the
:class:`~blacklists.importing.rows.ChunkContext` instead of receiving them through a pipe; they
only send back text. They never touch the database connection they inherit: only this process
writes, in the caller's one transaction.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager

from blacklists.importing.parse import ParsedCase
from blacklists.importing.rows import ChunkContext, ChunkText, build_chunk

# Cases per chunk: one set of COPY statements each.
CHUNK_CASES = 5_000
# Below this many cases, forking costs more than it saves.
PARALLEL_MIN_CASES = 20_000

_shared: tuple[ChunkContext, list[ParsedCase], list[int]] | None = None


def default_workers() -> int:
    return min(2, os.cpu_count() or 1)


def _build(bounds: tuple[int, int]) -> ChunkText:
    assert _shared is not None
    context, cases, ids = _shared
    start, end = bounds
    return build_chunk(context, cases[start:end], ids[start:end])


@contextmanager
def chunk_builder(
    context: ChunkContext, cases: list[ParsedCase], ids: list[int], *, workers: int
) -> Iterator[Iterator[ChunkText]]:
    """Yield an iterator of built chunks, in order. With workers, building starts at once."""
    global _shared
    bounds = [(start, min(start + CHUNK_CASES, len(cases))) for start in range(0, len(cases), CHUNK_CASES)]
    if workers < 2 or len(cases) < PARALLEL_MIN_CASES:
        yield (build_chunk(context, cases[start:end], ids[start:end]) for start, end in bounds)
        return
    _shared = (context, cases, ids)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield pool.imap(_build, bounds)
    finally:
        _shared = None
