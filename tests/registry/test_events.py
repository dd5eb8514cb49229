"""Subject events: written by the record services in the same transaction as the record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from registry.models import (
    AbnormalOperationListing,
    AdministrativePenalty,
    Agency,
    Award,
    InspectionRecord,
    Shareholder,
    SubjectEvent,
)
from registry.services import (
    abnormal_listing_create,
    abnormal_listing_remove,
    record_create,
    record_delete,
    record_update,
    subject_event_record,
)
from registry.services.audit import SYSTEM
from tests.factories import (
    AbnormalListingFactory,
    AgencyFactory,
    EnterpriseFactory,
    InspectionFactory,
    PenaltyFactory,
    PersonFactory,
    SubjectEventFactory,
)
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db


def penalty_fields(enterprise, agency, **overrides):
    return {
        "enterprise": enterprise,
        "decision_number": "合市监罚〔2025〕17号",
        "violation": "虚假宣传",
        "content": "罚款人民币二万元",
        "fine_amount": Decimal("20000"),
        "decided_on": dt.date(2025, 4, 2),
        "deciding_agency": agency,
        "source_agency": agency,
        **overrides,
    }


def events():
    return list(SubjectEvent.objects.order_by("id").values_list("kind", "record_type", "record_id"))


# The service and the model's rules


def test_subject_event_record_writes_a_validated_event_for_an_enterprise():
    enterprise = EnterpriseFactory()
    event = subject_event_record(
        enterprise=enterprise, kind="published", record_type="penalty", record_id=7, summary="某局 某号"
    )
    event.refresh_from_db()
    assert (event.enterprise, event.person, event.kind, event.record_id) == (enterprise, None, "published", 7)
    assert event.occurred_at.tzinfo is not None
    assert event.dispatched_at is None


def test_subject_event_record_refuses_an_event_without_a_subject():
    with pytest.raises(ValidationError, match="exactly one subject"):
        subject_event_record(kind="published", record_type="penalty", record_id=1, summary="x")
    assert not SubjectEvent.objects.exists()


def test_event_with_two_subjects_is_refused_both_ways():
    event = SubjectEventFactory.build(enterprise=EnterpriseFactory(), person=PersonFactory())
    assert_refused_both_ways(event, message="exactly one subject")


def test_event_without_a_subject_is_refused_both_ways():
    assert_refused_both_ways(SubjectEventFactory.build(enterprise=None), message="exactly one subject")


def test_unknown_kind_and_record_type_are_refused_by_the_database():
    for field, value in (("kind", "gossip"), ("record_type", "tweet")):
        event = SubjectEventFactory.build(enterprise=EnterpriseFactory(), **{field: value})
        with pytest.raises(ValidationError) as caught:
            event.full_clean()
        assert field in caught.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            event.save()


def test_at_most_one_expiring_event_per_record_both_ways():
    first = SubjectEventFactory(kind="expiring", record_type="list_entry", record_id=42)
    duplicate = SubjectEventFactory.build(
        enterprise=first.enterprise, kind="expiring", record_type="list_entry", record_id=42
    )
    assert_refused_both_ways(duplicate, message="already has an expiry notice")


def test_other_kinds_may_repeat_for_one_record():
    first = SubjectEventFactory(kind="changed", record_id=5)
    again = SubjectEventFactory.build(enterprise=first.enterprise, kind="changed", record_id=5)
    again.full_clean()
    again.save()
    assert SubjectEvent.objects.filter(record_id=5).count() == 2


# Events written by the record services


def test_penalty_create_update_delete_record_published_changed_ended():
    agency = Agency.objects.get(name_zh="合肥市市场监督管理局")  # shipped, generated from the divisions
    enterprise = EnterpriseFactory()
    penalty = record_create(
        model=AdministrativePenalty, actor=SYSTEM, via="admin", **penalty_fields(enterprise, agency)
    )
    event = SubjectEvent.objects.get()
    assert (event.enterprise, event.kind, event.record_type, event.record_id) == (
        enterprise,
        "published",
        "penalty",
        penalty.pk,
    )
    assert event.summary == "合肥市市场监督管理局 合市监罚〔2025〕17号"

    record_update(record=penalty, actor=SYSTEM, via="admin", fine_amount=Decimal("30000"))
    record_update(record=penalty, actor=SYSTEM, via="admin", fine_amount=Decimal("30000.00"))  # no change
    pk = penalty.pk
    record_delete(record=penalty, actor=SYSTEM, via="admin", note="录入错误")
    assert events() == [("published", "penalty", pk), ("changed", "penalty", pk), ("ended", "penalty", pk)]


def test_inspection_create_update_delete_record_events():
    agency = AgencyFactory(name_zh="蜀山区市场监督管理局")
    enterprise = EnterpriseFactory()
    inspection = record_create(
        model=InspectionRecord,
        actor=SYSTEM,
        via="admin",
        enterprise=enterprise,
        inspecting_agency=agency,
        source_agency=agency,
        kind="double_random",
        inspected_on=dt.date(2025, 5, 6),
        result="not_found",
    )
    assert SubjectEvent.objects.get().summary == "蜀山区市场监督管理局 2025-05-06"
    record_update(record=inspection, actor=SYSTEM, via="admin", result="corrected")
    pk = inspection.pk
    record_delete(record=inspection, actor=SYSTEM, via="admin", note="重复录入")
    assert events() == [
        ("published", "inspection", pk),
        ("changed", "inspection", pk),
        ("ended", "inspection", pk),
    ]
    assert set(SubjectEvent.objects.values_list("enterprise", flat=True)) == {enterprise.pk}


def test_abnormal_listing_is_published_and_ended_by_its_removal():
    agency = AgencyFactory()
    enterprise = EnterpriseFactory()
    listing = abnormal_listing_create(
        enterprise=enterprise,
        reason=AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED,
        listed_on=dt.date(2025, 7, 1),
        listing_agency=agency,
        actor=SYSTEM,
        via="command",
        decision_number="合市监异〔2025〕3号",
    )
    record_update(record=listing, actor=SYSTEM, via="admin", decision_number="合市监异〔2025〕4号")
    abnormal_listing_remove(
        listing=listing,
        removal_reason=AbnormalOperationListing.RemovalReason.REPORT_FILED,
        removed_on=dt.date(2025, 8, 1),
        removal_agency=agency,
        actor=SYSTEM,
        via="admin",
    )
    assert events() == [
        ("published", "abnormal_listing", listing.pk),
        ("changed", "abnormal_listing", listing.pk),
        ("ended", "abnormal_listing", listing.pk),
    ]
    assert SubjectEvent.objects.order_by("id").last().summary.endswith("合市监异〔2025〕4号")


def test_abnormal_listing_without_a_decision_number_is_summarised_by_its_date():
    listing = AbnormalListingFactory.build(enterprise=EnterpriseFactory(), source_agency=AgencyFactory())
    created = abnormal_listing_create(
        enterprise=listing.enterprise,
        reason=listing.reason,
        listed_on=listing.listed_on,
        listing_agency=listing.source_agency,
        actor=SYSTEM,
        via="admin",
    )
    assert SubjectEvent.objects.get(record_id=created.pk).summary.endswith("2024-07-01")


def test_other_record_types_record_no_event():
    enterprise = EnterpriseFactory()
    agency = AgencyFactory()
    shareholder = record_create(
        model=Shareholder,
        actor=SYSTEM,
        via="admin",
        enterprise=enterprise,
        kind="other",
        name="合肥投资有限公司",
        subscribed_capital=Decimal("100"),
    )
    record_update(record=shareholder, actor=SYSTEM, via="admin", paid_in_capital=Decimal("50"))
    record_delete(record=shareholder, actor=SYSTEM, via="admin", note="录入错误")
    award = record_create(
        model=Award,
        actor=SYSTEM,
        via="admin",
        enterprise=enterprise,
        title="守合同重信用企业",
        awarding_agency=agency,
        awarded_on=dt.date(2024, 1, 1),
    )
    record_delete(record=award, actor=SYSTEM, via="admin", note="录入错误")
    record_update(record=agency, actor=SYSTEM, via="admin", name_zh="改名后的局")
    assert not SubjectEvent.objects.exists()


def test_rollback_of_the_outer_transaction_leaves_no_event():
    agency = AgencyFactory()
    enterprise = EnterpriseFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_create(
            model=AdministrativePenalty, actor=SYSTEM, via="admin", **penalty_fields(enterprise, agency)
        )
        assert SubjectEvent.objects.count() == 1
        raise RuntimeError("the caller's later step failed")
    assert not AdministrativePenalty.objects.exists()
    assert not SubjectEvent.objects.exists()


def test_a_refused_update_records_no_event():
    penalty = PenaltyFactory()
    with pytest.raises(ValidationError):
        record_update(record=penalty, actor=SYSTEM, via="admin", fine_amount=Decimal("-1"))
    assert not SubjectEvent.objects.exists()


def test_deleting_an_inspection_made_outside_the_services_still_tells_the_subject():
    inspection = InspectionFactory()
    record_delete(record=inspection, actor=SYSTEM, via="admin", note="重复录入")
    event = SubjectEvent.objects.get()
    assert (event.kind, event.enterprise_id) == ("ended", inspection.enterprise_id)


def test_event_kind_and_publication_date_are_told_apart_in_chinese():
    from blacklists.models import ListEntry

    with translation.override("zh-hans"):
        event_kind = str(SubjectEvent.Kind.PUBLISHED.label)
        date_label = str(ListEntry._meta.get_field("published_on").verbose_name)
    assert event_kind == "已公示"
    assert date_label == "发布日期"
