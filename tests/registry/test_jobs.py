"""The PostgreSQL job queue: claim with SKIP LOCKED, progress, failures recorded, retries."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from registry.models import Job
from registry.services import jobs as job_services
from registry.services.jobs import (
    job_claim,
    job_enqueue,
    job_handler_register,
    job_run,
    jobs_run_pending,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def handlers(monkeypatch):
    monkeypatch.setattr(job_services, "_handlers", dict(job_services._handlers))
    return job_services._handlers


def test_claim_takes_the_oldest_due_job_and_marks_it_running():
    first = job_enqueue(kind="test.echo", payload={"n": 1})
    job_enqueue(kind="test.echo", payload={"n": 2})
    later = job_enqueue(kind="test.echo", payload={"n": 3})
    Job.objects.filter(pk=later.pk).update(run_after=timezone.now() + dt.timedelta(hours=1))
    claimed = job_claim(worker="w1")
    assert claimed.pk == first.pk
    claimed.refresh_from_db()
    assert claimed.status == Job.Status.RUNNING and claimed.locked_by == "w1" and claimed.attempts == 1
    assert job_claim(worker="w1").payload == {"n": 2}
    assert job_claim(worker="w1") is None  # the third is not due yet


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_claim_the_same_job():
    job_enqueue(kind="test.echo", payload={})
    locked = threading.Event()
    release = threading.Event()
    seen = {}

    def hold_the_row():
        with transaction.atomic():
            seen["first"] = job_claim(worker="w1")
            # Keep a second transaction holding a lock of its own on the row, as a slow claim would.
            Job.objects.select_for_update().filter(pk=seen["first"].pk).first()
            locked.set()
            release.wait(5)
        connection.close()

    thread = threading.Thread(target=hold_the_row)
    thread.start()
    locked.wait(5)
    try:
        seen["second"] = job_claim(worker="w2")
    finally:
        release.set()
        thread.join()
    assert seen["first"] is not None and seen["second"] is None


def test_a_handler_reports_progress_and_its_result_is_kept(handlers):
    def count(job, progress):
        for done in range(1, 4):
            progress(done, 3)
        return {"counted": 3}

    job_handler_register("test.count", count)
    job = job_enqueue(kind="test.count", payload={})
    assert jobs_run_pending(worker="w") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"counted": 3}
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.finished_at is not None and job.locked_by == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_inside_a_transaction_is_visible_to_other_connections(handlers):
    observed = {}

    def slow(job, progress):
        with transaction.atomic():
            progress(1, 4)
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT progress_done, progress_total FROM registry_job WHERE id = %s", [job.pk]
                )
                observed["row"] = cursor.fetchone()
            other.close()

    job_handler_register("test.slow", slow)
    job_enqueue(kind="test.slow", payload={})
    jobs_run_pending(worker="w")
    assert observed["row"] == (1, 4)


def test_a_failing_job_is_retried_then_recorded_as_failed(handlers):
    told = []

    def broken(job, progress):
        raise RuntimeError("the disk is full")

    job_handler_register("test.broken", broken, failed=lambda job: told.append(job.pk))
    job = job_enqueue(kind="test.broken", payload={}, max_attempts=2)
    job_run(job=job_claim(worker="w"))
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "the disk is full" in job.error and job.attempts == 1
    assert job.run_after > timezone.now()  # retried later, not at once
    assert told == []
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    job_run(job=job_claim(worker="w"))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 2 and job.finished_at is not None
    assert told == [job.pk]


def test_a_job_whose_worker_died_is_claimed_again():
    job = job_enqueue(kind="test.echo", payload={})
    job_claim(worker="dead")
    assert job_claim(worker="w2") is None
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    again = job_claim(worker="w2")
    assert again.pk == job.pk and again.locked_by == "w2" and again.attempts == 2


def test_an_unknown_kind_fails_without_retrying():
    job = job_enqueue(kind="test.nobody", payload={})
    job_run(job=job_claim(worker="w"))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "no handler" in job.error


def test_run_jobs_once_drains_the_queue(handlers, capsys):
    job_handler_register("test.noop", lambda job, progress: None)
    for _ in range(3):
        job_enqueue(kind="test.noop", payload={})
    call_command("run_jobs", "--once")
    assert "3 job(s) run." in capsys.readouterr().out
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.DONE}


def test_the_database_refuses_a_running_job_without_a_worker():
    from django.db import IntegrityError

    job = job_enqueue(kind="test.echo", payload={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
