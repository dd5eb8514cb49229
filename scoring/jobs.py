"""Scoring's background work on the job queue (docs/jobs.md).

- ``scoring.watch`` (periodic, every 15 s in each worker): re-evaluate enterprises whose counted
  records changed (:mod:`scoring.services.watcher`), so a change is graded within a minute.
- ``scoring.schedule`` (periodic, hourly): queue a full evaluation when the last one is a year
  old, and the credit-risk classes when they were not computed this month.
- job kinds ``scoring.evaluate_all`` and ``scoring.risk_classes``: the full runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.db import transaction
from django.utils import timezone

from registry.models import Job
from registry.services.jobs import job_enqueue, job_handler_register, periodic_task_register
from scoring.models import ChangeWatermark, RuleSet, Scheme
from scoring.services.evaluations import NoRuleSetInForce, evaluation_run_all, risk_class_run_all
from scoring.services.watcher import evaluation_watch_changes

EVALUATE_ALL = "scoring.evaluate_all"
RISK_CLASSES = "scoring.risk_classes"
FULL_EVALUATION_MARK = "full-evaluation"
RISK_CLASS_MARK = "risk-classes"
FULL_EVALUATION_EVERY = dt.timedelta(days=365)
WATCH_EVERY = dt.timedelta(seconds=15)
SCHEDULE_EVERY = dt.timedelta(hours=1)


def _mark_ran(name: str, when: dt.datetime) -> None:
    ChangeWatermark.objects.update_or_create(name=name, defaults={"ran_at": when})


def _run_evaluate_all(job: Job, progress) -> dict:
    started = timezone.now()
    summary = evaluation_run_all(progress=progress)
    _mark_ran(FULL_EVALUATION_MARK, started)
    return {
        "evaluated": summary.results,
        "contributions": summary.contributions,
        "rule_set": summary.rule_set.pk,
    }


def _run_risk_classes(job: Job, progress) -> dict:
    started = timezone.now()
    summary = risk_class_run_all(progress=progress)
    _mark_ran(RISK_CLASS_MARK, started)
    return {"classified": summary.results, "rule_set": summary.rule_set.pk}


def _already_queued(kind: str) -> bool:
    return Job.objects.filter(kind=kind, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists()


def scoring_schedule_due(*, now: dt.datetime | None = None) -> list[str]:
    """Queue the full runs that are due; the kinds queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    marks = dict(
        ChangeWatermark.objects.filter(name__in=[FULL_EVALUATION_MARK, RISK_CLASS_MARK]).values_list(
            "name", "ran_at"
        )
    )
    due = []
    last_full = marks.get(FULL_EVALUATION_MARK)
    in_force = set(
        RuleSet.objects.filter(in_force_from__lte=today).values_list("scheme", flat=True).distinct()
    )
    if Scheme.PUBLIC_EVALUATION in in_force and (
        last_full is None or last_full <= now - FULL_EVALUATION_EVERY
    ):
        due.append(EVALUATE_ALL)
    last_risk = marks.get(RISK_CLASS_MARK)
    if Scheme.RISK_CLASS in in_force and (
        last_risk is None
        or (timezone.localdate(last_risk).year, timezone.localdate(last_risk).month)
        != (
            today.year,
            today.month,
        )
    ):
        due.append(RISK_CLASSES)
    queued = []
    with transaction.atomic():
        for kind in due:
            if not _already_queued(kind):
                job_enqueue(kind=kind, payload={}, max_attempts=2)
                queued.append(kind)
    return queued


def _watch() -> None:
    with contextlib.suppress(NoRuleSetInForce):
        evaluation_watch_changes()


def register() -> None:
    job_handler_register(EVALUATE_ALL, _run_evaluate_all)
    job_handler_register(RISK_CLASSES, _run_risk_classes)
    periodic_task_register("scoring.watch", every=WATCH_EVERY, run=_watch)
    periodic_task_register("scoring.schedule", every=SCHEDULE_EVERY, run=scoring_schedule_due)
