"""Build the COPY text of large imports in worker processes while this process writes.

Workers are forked once the keys are resolved, so they inherit the parsed cases and the
:class:`~blacklists.importing.rows.ChunkContext` instead of receiving them through a pipe; they
only send back text. They never touch the database connection they inherit: only this process
writes, in the caller's one transaction.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from blacklists.importing.parse import ParsedCase
from blacklists.importing.rows import ChunkContext, ChunkText, build_chunk

# Cases per chunk: one set of COPY statements each.
CHUNK_CASES = 5_000
# Below this many cases, forking costs more than it saves.
PARALLEL_MIN_CASES = 20_000
# Chunks built ahead of the one being written, per worker: enough to keep the workers busy,
# few enough that the text of a large file is never all in memory at once.
AHEAD_PER_WORKER = 2

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
        # A worker that dies (killed, out of memory) breaks the executor, which raises in the
        # caller instead of waiting for ever: the import's transaction then rolls back.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as executor:
            yield _in_order(executor, bounds, ahead=workers * AHEAD_PER_WORKER)
    finally:
        _shared = None


def _in_order(
    executor: ProcessPoolExecutor, bounds: list[tuple[int, int]], *, ahead: int
) -> Iterator[ChunkText]:
    pending: deque[Future] = deque()
    queued = iter(bounds)
    for chunk_bounds in queued:
        pending.append(executor.submit(_build, chunk_bounds))
        if len(pending) >= ahead:
            break
    while pending:
        chunk = pending.popleft().result()
        for chunk_bounds in queued:
            pending.append(executor.submit(_build, chunk_bounds))
            break
        yield chunk
