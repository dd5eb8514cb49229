"""The PostgreSQL job queue: enqueue, claim (``FOR UPDATE SKIP LOCKED``), report progress, finish.

A handler is registered per kind (``job_handler_register``) by the app that owns the work; it
receives the job and a ``progress(done, total)`` callable. A handler must be safe to run again:
a job whose worker died is claimed again once it is stale, and a handler that raised is retried
until ``max_attempts``. Imports are: their write is one transaction, and a written import is
never written twice. See ``docs/jobs.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from registry.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]

# A running job not finished after this long is taken to have lost its worker.
STALE_AFTER = dt.timedelta(hours=1)
RETRY_DELAY = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class JobHandler:
    run: Callable[[Job, Progress], dict | None]
    # Told when the last attempt failed, so the work's own record says so (an import: "failed").
    failed: Callable[[Job], None] | None = None


_handlers: dict[str, JobHandler] = {}


def job_handler_register(
    kind: str, run: Callable[[Job, Progress], dict | None], *, failed: Callable[[Job], None] | None = None
) -> None:
    _handlers[kind] = JobHandler(run=run, failed=failed)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:128]


def job_enqueue(*, kind: str, payload: dict, max_attempts: int = 3) -> Job:
    now = timezone.now()
    job = Job(kind=kind, payload=payload, created_at=now, run_after=now, max_attempts=max_attempts)
    job.full_clean()
    job.save()
    return job


def job_claim(*, worker: str, kinds: list[str] | None = None) -> Job | None:
    """Take the oldest job due (or a stale running one) for ``worker``; None if there is none.

    Workers skip rows another worker has locked, so two never claim the same job."""
    now = timezone.now()
    with transaction.atomic():
        due = Job.objects.filter(
            Q(status=Job.Status.QUEUED, run_after__lte=now)
            | Q(status=Job.Status.RUNNING, started_at__lt=now - STALE_AFTER)
        )
        if kinds:
            due = due.filter(kind__in=kinds)
        job = due.order_by("run_after", "id").select_for_update(skip_locked=True).first()
        if job is None:
            return None
        job.status = Job.Status.RUNNING
        job.locked_by = worker
        job.started_at = now
        job.attempts += 1
        job.error = ""
        job.save(update_fields=["status", "locked_by", "started_at", "attempts", "error"])
    return job


def _progress_writer(job: Job) -> Progress:
    """Progress is written beside the job's own transaction, so the page sees it while it runs.

    Outside a transaction the default connection does; inside one (an import's write) a second
    connection does, committing each update by itself."""
    side: list = []

    def report(done: int, total: int | None) -> None:
        done = max(0, done if total is None else min(done, total))
        job.progress_done, job.progress_total = done, total
        if not connection.in_atomic_block:
            Job.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)
            return
        if not side:
            side.append(connections.create_connection("default"))
        with side[0].cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET progress_done = %s, progress_total = %s WHERE id = %s",  # noqa: S608 - table name from model metadata
                [done, total, job.pk],
            )

    report.close = lambda: [c.close() for c in side]  # type: ignore[attr-defined]
    return report


def job_run(*, job: Job) -> Job:
    """Run a claimed job with its handler; record the result, or the error and whether to retry."""
    handler = _handlers.get(job.kind)
    progress = _progress_writer(job)
    try:
        if handler is None:
            raise LookupError(f"no handler registered for job kind {job.kind!r}")
        result = handler.run(job, progress) or {}
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.error = traceback.format_exc()[-4000:]
        job.locked_by = ""
        if job.attempts < job.max_attempts and handler is not None:
            job.status = Job.Status.QUEUED
            job.run_after = timezone.now() + RETRY_DELAY * job.attempts
            job.started_at = None
        else:
            job.status = Job.Status.FAILED
            job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "locked_by", "run_after", "started_at", "finished_at"])
        if job.status == Job.Status.FAILED and handler is not None and handler.failed is not None:
            handler.failed(job)
        return job
    finally:
        progress.close()
    job.status = Job.Status.DONE
    job.result = result
    job.finished_at = timezone.now()
    job.locked_by = ""
    if job.progress_total is not None:
        job.progress_done = job.progress_total
    job.save(
        update_fields=["status", "result", "finished_at", "locked_by", "progress_done", "progress_total"]
    )
    return job


@dataclass
class PeriodicTask:
    every: dt.timedelta
    run: Callable[[], object]
    last_run: float | None = None


_periodic: dict[str, PeriodicTask] = {}


def periodic_task_register(name: str, *, every: dt.timedelta, run: Callable[[], object]) -> None:
    """Have every ``run_jobs`` worker call ``run`` about every ``every`` (short, idempotent work:
    a watcher, a scheduler that enqueues jobs). Several workers may call it at once: it must lock
    what it needs (``SKIP LOCKED``) itself."""
    _periodic[name] = PeriodicTask(every=every, run=run)


def periodic_tasks_run_due(*, clock: Callable[[], float] = time.monotonic) -> list[str]:
    """Run the periodic tasks whose period has passed in this process; the names run. A task that
    raises is logged and tried again next period."""
    ran = []
    for name, task in _periodic.items():
        now = clock()
        if task.last_run is not None and now - task.last_run < task.every.total_seconds():
            continue
        task.last_run = now
        try:
            task.run()
        except Exception:
            logger.exception("periodic task %s failed", name)
        ran.append(name)
    return ran


def jobs_run_pending(*, worker: str | None = None, limit: int | None = None) -> int:
    """Claim and run due jobs until none is left (or ``limit`` ran); the number run."""
    worker = worker or worker_name()
    count = 0
    while limit is None or count < limit:
        job = job_claim(worker=worker)
        if job is None:
            break
        job_run(job=job)
        count += 1
    return count
