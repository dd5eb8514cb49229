"""Running a generation: the two phases, worker processes, the id hand-over between chunks."""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import queue
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connections

from . import database, indexes
from .build import enterprise_lines, person_lines, with_ids
from .context import GROUP, Context
from .geo import load_agency_ids, load_places
from .rows import RECORD_TABLES, TABLES, check_columns

PERSON_CHUNK_FACTOR = 4  # person rows are cheap; fewer, larger transactions


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class Options:
    enterprises: int
    persons: int
    seed: int = 1
    batch_size: int = 5000
    workers: int = field(default_factory=default_workers)
    replace: bool = False


@dataclass
class Stats:
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    copy_seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TABLES, 0.0))
    generate_seconds: float = 0.0
    phase_seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    def merge(self, result: dict) -> None:
        self.generate_seconds += result["generate"]
        for key, rows in result["rows"].items():
            self.rows[key] += rows
        for key, seconds in result["copy"].items():
            self.copy_seconds[key] += seconds

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class IdChain:
    """Dense record ids without a central counter: chunk c starts where chunk c-1 ended. A chunk
    publishes its row counts as soon as it has built its rows, before its COPY, so the next chunk
    (on another worker) waits at most for a build that started no later than its own."""

    def __init__(self, chunks: int, starts: list[int], mp_context=None):
        width = len(RECORD_TABLES)
        if mp_context is None:
            self.offsets, self.ready = [0] * ((chunks + 1) * width), [0] * (chunks + 1)
            self.lock = contextlib.nullcontext()
        else:
            self.offsets = mp_context.Array("q", (chunks + 1) * width, lock=False)
            self.ready = mp_context.Array("b", chunks + 1, lock=False)
            self.lock = mp_context.Lock()
        self.width = width
        self.offsets[:width] = starts
        self.ready[0] = 1

    def take(self, chunk: int, counts: list[int]) -> list[int]:
        """Wait for this chunk's first ids, hand the next chunk its own, return ours."""
        width = self.width
        while True:
            with self.lock:
                if self.ready[chunk]:
                    starts = list(self.offsets[chunk * width : (chunk + 1) * width])
                    self.offsets[(chunk + 1) * width : (chunk + 2) * width] = [
                        start + count for start, count in zip(starts, counts)
                    ]
                    self.ready[chunk + 1] = 1
                    return starts
            time.sleep(0.002)


def _person_chunk(ctx, chain, task) -> dict:
    _, first, count = task
    started = time.perf_counter()
    data = person_lines(ctx, first, count)
    built = time.perf_counter()
    database.in_transaction(lambda: database.copy_rows("person", data), skip_triggers=ctx.skip_triggers)
    return {
        "rows": {"person": count},
        "generate": built - started,
        "copy": {"person": time.perf_counter() - built},
    }


def _enterprise_chunk(ctx, chain, task) -> dict:
    number, first, count = task
    started = time.perf_counter()
    enterprises, records = enterprise_lines(ctx, first, count)
    generate = time.perf_counter() - started
    starts = chain.take(number, [len(records[key]) for key in RECORD_TABLES])
    copy_seconds = {}

    def write():
        nonlocal generate
        mark = time.perf_counter()
        database.copy_rows("enterprise", enterprises)
        copy_seconds["enterprise"] = time.perf_counter() - mark
        for key, start in zip(RECORD_TABLES, starts):
            mark = time.perf_counter()
            data = with_ids(start, records[key])
            formatted = time.perf_counter()
            database.copy_rows(key, data)
            generate += formatted - mark
            copy_seconds[key] = time.perf_counter() - formatted

    database.in_transaction(write, skip_triggers=ctx.skip_triggers)
    rows = {"enterprise": count, **{key: len(records[key]) for key in RECORD_TABLES}}
    return {"rows": rows, "generate": generate, "copy": copy_seconds}


def _worker(job, ctx, chain, tasks, results) -> None:
    try:
        for task in tasks:
            results.put(("chunk", job(ctx, chain, task)))
    except BaseException:
        results.put(("error", traceback.format_exc()))
    finally:
        connections.close_all()
    results.put(("done", None))


class Runner:
    def __init__(self, options: Options, log: Callable[[str], None] = print):
        self.options, self.log, self.stats = options, log, Stats()

    def run(self) -> Stats:
        options, began = self.options, time.perf_counter()
        check_columns()
        indexes.restore_indexes()
        if options.replace:
            for notice in database.truncate_all():
                self.log(f"  {notice}")
        places, agencies = load_places(), load_agency_ids()
        first = database.next_ids()
        ctx = Context(
            seed=options.seed,
            places=places,
            agencies=agencies,
            person_first=first["person"],
            person_count=options.persons,
            enterprise_first=first["enterprise"],
            skip_triggers=database.can_skip_triggers(),
        )
        deferred = all(start == 1 for start in first.values()) and indexes.defer_indexes() > 0
        try:
            self._load(ctx, first)
            self._finish(ctx, first, deferred)
        except BaseException:
            if deferred:  # the tables were empty: leave them empty and whole rather than half-loaded
                database.truncate_all()
                indexes.restore_indexes()
            raise
        self.stats.total_seconds = time.perf_counter() - began
        return self.stats

    def _load(self, ctx, first) -> None:
        options = self.options
        size = max(1, options.batch_size) * PERSON_CHUNK_FACTOR
        self._phase("persons", _person_chunk, ctx, None, self._chunks(first["person"], options.persons, size))
        size = math.ceil(max(1, options.batch_size) / GROUP) * GROUP
        tasks = self._chunks(first["enterprise"], options.enterprises, size)
        mp_context = multiprocessing.get_context("fork") if self._parallel(tasks) else None
        chain = IdChain(len(tasks), [first[key] for key in RECORD_TABLES], mp_context)
        self._phase("enterprises", _enterprise_chunk, ctx, chain, tasks)

    def _finish(self, ctx, first, deferred) -> None:
        steps = []
        if ctx.skip_triggers:
            steps.append(("reference check", lambda: self._check_references(first)))
        if deferred:
            steps.append(("index rebuild", indexes.restore_indexes))
        steps.append(
            ("sequences and ANALYZE", lambda: (database.reset_sequences(TABLES), database.analyze(TABLES)))
        )
        for name, step in steps:
            mark = time.perf_counter()
            step()
            self.stats.phase_seconds[name] = time.perf_counter() - mark
            self.log(f"{name}: {self.stats.phase_seconds[name]:.1f} s")

    @staticmethod
    def _check_references(first) -> None:
        problems = database.verify_references(first)
        if problems:
            raise RuntimeError("Generated rows with broken references:\n" + "\n".join(problems))

    @staticmethod
    def _chunks(first: int, total: int, size: int) -> list[tuple[int, int, int]]:
        return [
            (number, first + start, min(size, total - start))
            for number, start in enumerate(range(0, total, size))
        ]

    def _parallel(self, tasks) -> bool:
        return (
            self.options.workers > 1 and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods()
        )

    def _phase(self, name, job, ctx, chain, tasks) -> None:
        if not tasks:
            return
        began, total = time.perf_counter(), sum(task[2] for task in tasks)
        progress = Progress(name, total, self.log)
        if self._parallel(tasks):
            self._run_parallel(job, ctx, chain, tasks, progress)
        else:
            for task in tasks:
                result = job(ctx, chain, task)
                self.stats.merge(result)
                progress.advance(result)
        self.stats.phase_seconds[name] = time.perf_counter() - began
        progress.finish()

    def _run_parallel(self, job, ctx, chain, tasks, progress) -> None:
        # Children must not share the parent's socket to the server.
        connections.close_all()
        mp_context = multiprocessing.get_context("fork")
        results = mp_context.Queue()
        workers = min(self.options.workers, len(tasks))
        processes = [
            mp_context.Process(
                target=_worker, args=(job, ctx, chain, tasks[w::workers], results), daemon=True
            )
            for w in range(workers)
        ]
        for process in processes:
            process.start()
        finished = 0
        try:
            while finished < workers:
                try:
                    kind, payload = results.get(timeout=5)
                except queue.Empty:
                    if any(process.exitcode not in (None, 0) for process in processes):
                        raise RuntimeError("A demo-data worker died without reporting an error.") from None
                    continue
                if kind == "error":
                    raise RuntimeError(f"A demo-data worker failed:\n{payload}")
                if kind == "done":
                    finished += 1
                else:
                    self.stats.merge(payload)
                    progress.advance(payload)
        finally:
            for process in processes:
                if process.is_alive() and finished < workers:
                    process.terminate()
                process.join()


class Progress:
    """A line at every tenth of the phase, or every 30 seconds, whichever comes first."""

    def __init__(self, name: str, total: int, log):
        self.name, self.total, self.log = name, total, log
        self.done = self.rows = 0
        self.began = self.last = time.perf_counter()
        self.next_share = 0.1

    def advance(self, result: dict) -> None:
        self.done += result["rows"].get("person", 0) + result["rows"].get("enterprise", 0)
        self.rows += sum(result["rows"].values())
        now = time.perf_counter()
        if self.done >= self.total * self.next_share or now - self.last > 30:
            while self.done >= self.total * self.next_share:
                self.next_share += 0.1
            self.last = now
            elapsed = now - self.began
            self.log(
                f"  {self.name}: {self.done:,}/{self.total:,} ({self.done / self.total:.0%}), "
                f"{self.rows:,} rows, {self.rows / elapsed:,.0f} rows/s"
            )

    def finish(self) -> None:
        elapsed = time.perf_counter() - self.began
        rate = self.rows / max(elapsed, 1e-9)
        self.log(f"{self.name}: {self.rows:,} rows in {elapsed:.1f} s ({rate:,.0f} rows/s)")
