"""Re-evaluation on change: the watcher reads the audit trail, never the request."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.models import RepairApplication
from casework.services import application_decide
from registry.models import AdministrativePenalty, Job
from registry.services import record_create
from registry.services.audit import SYSTEM
from registry.services.jobs import _periodic, periodic_task_register, periodic_tasks_run_due
from scoring.jobs import EVALUATE_ALL, RISK_CLASSES, scoring_schedule_due
from scoring.models import Cause, Evaluation, RiskClassAssessment
from scoring.services import evaluation_run_for
from scoring.services.watcher import evaluation_watch_changes
from tests.factories import AgencyFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _penalty(enterprise, agency):
    return record_create(
        model=AdministrativePenalty,
        actor=SYSTEM,
        via="command",
        enterprise=enterprise,
        source_agency=agency,
        deciding_agency=agency,
        decision_number="合市监罚〔2026〕99号",
        violation="虚假宣传",
        content="罚款五万元",
        fine_amount=50000,
        decided_on=timezone.localdate() - dt.timedelta(days=100),
    )


def test_a_penalty_created_through_its_service_is_graded_by_the_watcher_not_the_request(default_rule_sets):
    enterprise, agency = EnterpriseFactory(), AgencyFactory()
    evaluation_watch_changes()  # reads what is in the audit trail so far
    before = evaluation_run_for(enterprise=enterprise)
    penalty = _penalty(enterprise, agency)
    assert Evaluation.objects.get(enterprise=enterprise, is_current=True) == before  # nothing in the request
    result = evaluation_watch_changes()
    assert result.enterprises == 1
    after = Evaluation.objects.get(enterprise=enterprise, is_current=True)
    assert after != before and after.cause == Cause.RECORD_CHANGED
    assert after.score == before.score - 8
    assert after.contributions.get(indicator="administrative_penalty").source_pk == penalty.pk
    assert evaluation_watch_changes().enterprises == 0  # read once


def test_a_repair_decided_re_evaluates_the_subject(default_rule_sets):
    enterprise, agency = EnterpriseFactory(), AgencyFactory()
    penalty = _penalty(enterprise, agency)
    evaluation_watch_changes()
    graded = Evaluation.objects.get(enterprise=enterprise, is_current=True)
    assert graded.contributions.filter(indicator="administrative_penalty").exists()
    application = RepairApplication.objects.create(
        enterprise=enterprise,
        agency=agency,
        penalty=penalty,
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    application_decide(
        application=application, outcome="approved", reason="Fine paid.", actor=SYSTEM, via="command"
    )
    evaluation_watch_changes()
    repaired = Evaluation.objects.get(enterprise=enterprise, is_current=True)
    assert not repaired.contributions.filter(indicator="administrative_penalty").exists()
    assert repaired.score == graded.score + 8


def test_the_watcher_reads_an_entry_committed_after_a_later_one(default_rule_sets):
    from registry.models import AuditEntry
    from scoring.models import ChangeWatermark

    enterprise = EnterpriseFactory()
    evaluation_watch_changes()
    mark = ChangeWatermark.objects.get(name="evaluation-watcher")
    # An id below the bookmark that was not visible when it was read stays pending.
    latest = AuditEntry.objects.order_by("-id").first().pk
    mark.last_audit_id = latest + 1
    mark.pending_ranges = [[latest + 1, latest + 1, timezone.now().isoformat()]]
    mark.save()
    _penalty(enterprise, AgencyFactory())  # its audit entry takes a later id than the bookmark…
    mark.refresh_from_db()
    assert evaluation_watch_changes().enterprises == 1  # …and is read anyway


def test_periodic_tasks_run_on_their_period():
    calls = []
    periodic_task_register("test.counter", every=dt.timedelta(seconds=10), run=lambda: calls.append(1))
    for moment in (100.0, 105.0, 111.0):
        periodic_tasks_run_due(clock=lambda moment=moment: moment)
    assert len(calls) == 2  # at 100 and 111, not at 105
    _periodic.pop("test.counter")


def test_schedule_queues_the_full_runs_once(default_rule_sets):
    assert set(scoring_schedule_due()) == {EVALUATE_ALL, RISK_CLASSES}
    assert scoring_schedule_due() == []  # already queued
    EnterpriseFactory.create_batch(2)
    call_command("run_jobs", "--once")
    assert Job.objects.filter(status="done").count() == 2
    assert Evaluation.objects.filter(is_current=True).count() == 2
    assert RiskClassAssessment.objects.filter(is_current=True).count() == 2
    assert scoring_schedule_due() == []  # both ran this month / year


def test_schedule_queues_nothing_without_rule_sets():
    assert scoring_schedule_due() == []
