"""Results of drawn targets: recording, publishing as the register's record, the late flag, the
abnormal-list hand-off, the penalty link, notifications, objections and clerk isolation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from accounts.models import AgencyMembership
from casework.services import objection_submit
from inspections.models import InspectionResult, InspectorAssignment, ResultCategory
from inspections.services import (
    result_is_late,
    result_penalty_link,
    result_publish,
    result_record,
    result_update,
)
from registry.models import AbnormalOperationListing, InspectionRecord, SubjectEvent
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory, PenaltyFactory, member_of
from tests.inspections.helpers import VIA, drawn, inspectors_for, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals below are matched on their English wording."""
    with translation.override("en"):
        yield


User = get_user_model()


def category(code: str) -> ResultCategory:
    return ResultCategory.objects.get(code=code, in_use=True)


def clerk_of(agency) -> User:
    user = User.objects.create_user(f"clerk-{agency.pk}", password="pw-123456789", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def task():
    task = make_task(candidates=40, inspectors=6)
    drawn(task)
    return task


def first_target(task):
    return task.targets.filter(replaced=False).select_related("enterprise").order_by("position").first()


def record(task, code="no_problem", *, target=None, actor=SYSTEM, **extra):
    target = target or first_target(task)
    return result_record(
        task=task,
        enterprise=target.enterprise,
        category=category(code),
        inspected_on=timezone.localdate(),
        actor=actor,
        via=VIA,
        **extra,
    )


def test_the_categories_are_loaded_as_versioned_data():
    names = list(ResultCategory.objects.filter(in_use=True).values_list("name_zh", flat=True))
    assert names[:4] == [
        "未发现问题",
        "未按规定公示应当公示的信息",
        "公示信息隐瞒真实情况、弄虚作假",
        "通过登记的住所（经营场所）无法联系",
    ]
    assert "违反其他部门相关规定" in names
    assert set(ResultCategory.objects.values_list("version", flat=True)) == {1}


def test_recording_tells_the_enterprise_it_was_drawn_and_publishing_writes_the_record(task):
    target = first_target(task)
    result = record(task, detail="账簿齐全")
    assert not result.is_published and result.record is None
    drawn_events = SubjectEvent.objects.filter(
        enterprise=target.enterprise, record_type=SubjectEvent.RecordType.INSPECTION_DRAW
    )
    assert drawn_events.count() == 1
    assert task.name_zh in drawn_events.get().summary
    assert not InspectionRecord.objects.filter(enterprise=target.enterprise).exists()

    result = result_publish(result=result, actor=SYSTEM, via=VIA)
    published = InspectionRecord.objects.get(enterprise=target.enterprise)
    assert result.record == published
    assert published.kind == InspectionRecord.Kind.DOUBLE_RANDOM
    assert published.result == InspectionRecord.Result.NO_PROBLEM
    assert published.inspecting_agency == task.plan.agency
    assert "未发现问题" in published.detail and "账簿齐全" in published.detail
    assert SubjectEvent.objects.filter(
        record_type=SubjectEvent.RecordType.INSPECTION, record_id=published.pk, kind="published"
    ).exists()
    assert not result_is_late(result)


def test_a_result_carries_its_targets_task_and_the_database_refuses_another(task):
    result = record(task)
    assert result.task_id == result.target.task_id == task.pk
    other = make_task(candidates=10, inspectors=4)
    with (
        pytest.raises(IntegrityError, match=f"belongs to task {task.pk}"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE inspections_inspectionresult SET task_id = %s WHERE id = %s", [other.pk, result.pk]
        )
    assert InspectionResult.objects.filter(task=task).count() == 1


def test_a_result_for_an_enterprise_not_drawn_is_refused_and_nothing_written(task):
    outsider = EnterpriseFactory(name="未被抽中有限公司")
    with pytest.raises(ValidationError, match="was not drawn in the task"):
        result_record(
            task=task,
            enterprise=outsider,
            category=category("no_problem"),
            inspected_on=timezone.localdate(),
            actor=SYSTEM,
            via=VIA,
        )
    assert not InspectionResult.objects.exists()
    assert not SubjectEvent.objects.filter(record_type=SubjectEvent.RecordType.INSPECTION_DRAW).exists()


def test_a_second_result_of_the_same_agency_and_a_second_publication_are_refused(task):
    result = record(task)
    with pytest.raises(ValidationError, match="already recorded a result"):
        record(task)
    result_publish(result=result, actor=SYSTEM, via=VIA)
    with pytest.raises(ValidationError, match="already published"):
        result_publish(result=result, actor=SYSTEM, via=VIA)
    with pytest.raises(ValidationError, match="was published on"):
        result_update(result=result, actor=SYSTEM, via=VIA, detail="late change")
    assert InspectionRecord.objects.count() == 1


def test_an_inspection_date_before_the_draw_or_in_the_future_is_refused(task):
    target = first_target(task)
    for day in (timezone.localdate() - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError, match="between the draw"):
            result_record(
                task=task,
                enterprise=target.enterprise,
                category=category("no_problem"),
                inspected_on=day,
                actor=SYSTEM,
                via=VIA,
            )


def test_a_result_published_after_twenty_working_days_is_late(task):
    result = record(task)
    assert result.publish_by > result.inspected_on + dt.timedelta(days=25)
    assert not result_is_late(result, today=result.publish_by)
    assert result_is_late(result, today=result.publish_by + dt.timedelta(days=1))
    after = timezone.make_aware(dt.datetime.combine(result.publish_by + dt.timedelta(days=1), dt.time(10)))
    with time_machine.travel(after, tick=False):
        result = result_publish(result=result, actor=SYSTEM, via=VIA)
    assert result_is_late(result, today=result.publish_by)


def test_unreachable_opens_an_abnormal_listing_once(task):
    targets = list(task.targets.filter(replaced=False).select_related("enterprise").order_by("position")[:2])
    result = result_publish(result=record(task, "unreachable", target=targets[0]), actor=SYSTEM, via=VIA)
    listing = AbnormalOperationListing.objects.get(enterprise=targets[0].enterprise)
    assert listing.reason == AbnormalOperationListing.Reason.UNREACHABLE
    assert listing.listing_agency == task.plan.agency
    assert result.abnormal_listing == listing
    assert result.record.result == InspectionRecord.Result.NOT_FOUND
    # An enterprise already listed as unreachable is linked to its open listing, not listed twice.
    already = AbnormalOperationListing.objects.create(
        enterprise=targets[1].enterprise,
        reason=AbnormalOperationListing.Reason.UNREACHABLE,
        listed_on=timezone.localdate(),
        listing_agency=task.plan.agency,
    )
    second = result_publish(result=record(task, "unreachable", target=targets[1]), actor=SYSTEM, via=VIA)
    assert second.abnormal_listing == already
    assert AbnormalOperationListing.objects.filter(enterprise=targets[1].enterprise).count() == 1


def test_a_violation_links_the_penalty_when_it_exists(task):
    targets = list(task.targets.filter(replaced=False).select_related("enterprise").order_by("position")[:2])
    penalty = PenaltyFactory(
        enterprise=targets[0].enterprise, deciding_agency=task.plan.agency, decided_on=timezone.localdate()
    )
    found = result_publish(result=record(task, "false_disclosure", target=targets[0]), actor=SYSTEM, via=VIA)
    assert found.penalty == penalty
    assert found.record.result == InspectionRecord.Result.VIOLATION

    later = result_publish(result=record(task, "not_disclosed", target=targets[1]), actor=SYSTEM, via=VIA)
    assert later.penalty is None
    with pytest.raises(ValidationError, match="concerns another enterprise"):
        result_penalty_link(result=later, penalty=penalty, actor=SYSTEM, via=VIA)
    decided = PenaltyFactory(enterprise=targets[1].enterprise, deciding_agency=task.plan.agency)
    assert result_penalty_link(result=later, penalty=decided, actor=SYSTEM, via=VIA).penalty == decided


def test_a_penalty_cannot_be_linked_to_a_result_without_violation(task):
    result = result_publish(result=record(task), actor=SYSTEM, via=VIA)
    penalty = PenaltyFactory(enterprise=first_target(task).enterprise)
    with pytest.raises(ValidationError, match="found no violation"):
        result_penalty_link(result=result, penalty=penalty, actor=SYSTEM, via=VIA)


def test_each_agency_of_a_joint_task_records_its_own_result():
    lead, partner = AgencyFactory(), AgencyFactory()
    inspectors_for(partner, 6, prefix="协查员")
    task = make_task(agency=lead, joint=[partner])
    drawn(task)
    target = first_target(task)
    assert set(InspectorAssignment.objects.filter(target=target).values_list("department_id", flat=True)) == {
        lead.pk,
        partner.pk,
    }
    partner_clerk = clerk_of(partner)
    ours = record(task, target=target, actor=clerk_of(lead))
    theirs = record(task, "corrected", target=target, actor=partner_clerk)
    assert (ours.agency, theirs.agency) == (lead, partner)
    # The enterprise is told once that it was drawn.
    assert SubjectEvent.objects.filter(record_type=SubjectEvent.RecordType.INSPECTION_DRAW).count() == 1
    result_publish(result=theirs, actor=partner_clerk, via=VIA)
    assert InspectionRecord.objects.get(enterprise=target.enterprise).inspecting_agency == partner


def test_an_agency_that_sent_no_inspector_cannot_record(task):
    stranger = AgencyFactory()
    with pytest.raises(ValidationError, match="sent no inspector"):
        record(task, agency=stranger)


def test_a_clerk_of_another_agency_cannot_record_change_or_publish(task):
    other = clerk_of(AgencyFactory())
    with pytest.raises((PermissionDenied, ValidationError)):
        record(task, actor=other)
    result = record(task, actor=clerk_of(task.plan.agency))
    with pytest.raises(PermissionDenied):
        result_publish(result=result, actor=other, via=VIA)
    with pytest.raises(PermissionDenied):
        result_update(result=result, actor=other, via=VIA, detail="changed")
    assert not InspectionRecord.objects.exists()


def test_the_enterprise_can_object_to_a_published_result(task):
    result = result_publish(result=record(task), actor=SYSTEM, via=VIA)
    enterprise = result.target.enterprise
    member = member_of(enterprise)
    objection = objection_submit(
        enterprise=enterprise,
        record_type="inspection",
        record_id=result.record.pk,
        reason="检查结论与事实不符。",
        documents=[],
        actor=member,
        via="form",
    )
    assert objection.agency == task.plan.agency
