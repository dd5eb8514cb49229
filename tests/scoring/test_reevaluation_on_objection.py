"""A corrected record, or a decided objection to an evaluation, re-evaluates the subject in the
background the same day (the watcher reads the decision's audit entries)."""

from decimal import Decimal

import pytest

from accounts.models import AgencyMembership
from casework.services import objection_decide, objection_submit
from scoring.models import Evaluation
from scoring.services import evaluation_run_for
from scoring.services.watcher import evaluation_watch_changes
from tests.factories import member_of
from tests.scoring.helpers import company, penalise

pytestmark = pytest.mark.django_db


def clerk_of(agency, django_user_model, username):
    user = django_user_model.objects.create_user(username=username, is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def test_a_penalty_corrected_on_objection_re_evaluates_the_company(default_rule_sets, django_user_model):
    enterprise = company()
    penalty = penalise(enterprise, "200000")
    penalise(enterprise, "200000")
    assert evaluation_run_for(enterprise=enterprise).grade == "D"
    evaluation_watch_changes()  # the records' own creation read first
    objection = objection_submit(
        enterprise=enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason="The fine was recorded ten times too high.",
        documents=[],
        actor=member_of(enterprise),
        via="form",
    )
    objection_decide(
        objection=objection,
        outcome="corrected",
        reason="The fine was RMB 5,000.",
        corrections={"fine_amount": Decimal("5000")},
        actor=clerk_of(penalty.deciding_agency, django_user_model, "clerk"),
        via="admin",
    )
    evaluation_watch_changes()
    current = Evaluation.objects.get(enterprise=enterprise, is_current=True)
    assert current.cause == "record_changed"
    assert current.score == 100 - 20 - 2 and current.grade == "C"


def test_a_decided_objection_to_the_evaluation_re_evaluates_it(default_rule_sets, django_user_model):
    enterprise = company()
    penalise(enterprise, "50000")
    evaluation = evaluation_run_for(enterprise=enterprise)
    evaluation_watch_changes()
    objection = objection_submit(
        enterprise=enterprise,
        record_type="evaluation",
        record_id=evaluation.pk,
        reason="The evaluation does not match our records.",
        documents=[],
        actor=member_of(enterprise),
        via="form",
        agency=enterprise.registration_authority,
        record_summary="公共信用综合评价 v1",
    )
    evaluation_watch_changes()
    objection_decide(
        objection=objection,
        outcome="upheld",
        reason="Every record of the evaluation is right.",
        actor=clerk_of(enterprise.registration_authority, django_user_model, "clerk2"),
        via="admin",
    )
    evaluation_watch_changes()
    current = Evaluation.objects.get(enterprise=enterprise, is_current=True)
    assert current.pk != evaluation.pk and current.cause == "record_changed"
