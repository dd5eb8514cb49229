"""Instant disclosure: rules refused twice, due date in working days, late mark, versions, audit."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from filings.models import InstantDisclosure, InstantDisclosureVersion
from filings.services import instant_disclosure_correct, instant_disclosure_due_on, instant_disclosure_publish
from registry.models import AuditEntry
from tests.factories import EnterpriseFactory, InstantDisclosureFactory, member_of
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db

PENALTY = {
    "decision_number": "合市监罚〔2026〕7号",
    "violation": "虚假宣传",
    "content": "罚款一万元",
    "authority": "合肥市市场监督管理局",
}


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def audit_entries(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_pk=str(instance.pk)
    ).order_by("at", "id")


def user(name="filer"):
    return get_user_model().objects.create_user(username=name, email=f"{name}@example.com", password="x")


# --- the due date -----------------------------------------------------------------------------------
def test_due_date_is_20_working_days_after_the_fact():
    # Thursday 2026-09-17: 20 working days skip weekends, the Mid-Autumn holiday (25-27 September) and
    # National Day (1-7 October), and count the make-up working days 20 September and 10 October.
    assert instant_disclosure_due_on(dt.date(2026, 9, 17)) == dt.date(2026, 10, 21)
    # An ordinary stretch: Monday 2026-03-02 -> four weeks later, Monday 2026-03-30.
    assert instant_disclosure_due_on(dt.date(2026, 3, 2)) == dt.date(2026, 3, 30)


def test_publishing_sets_the_due_date_and_publisher_and_is_on_time_within_it():
    enterprise, filer = EnterpriseFactory(), user()
    disclosure = instant_disclosure_publish(
        enterprise=enterprise,
        kind="penalty",
        occurred_on=dt.date(2026, 3, 2),
        details=PENALTY,
        actor=member_of(enterprise, filer.username),
        via="form",
        published_at=at(dt.date(2026, 3, 30)),
    )
    disclosure.refresh_from_db()
    assert disclosure.due_on == dt.date(2026, 3, 30)
    assert disclosure.published_on == dt.date(2026, 3, 30)
    assert disclosure.published_by == filer
    assert disclosure.late is False
    assert disclosure.version == 1


def test_publishing_after_the_due_date_is_marked_late():
    disclosure = instant_disclosure_publish(
        enterprise=(enterprise := EnterpriseFactory()),
        kind="penalty",
        occurred_on=dt.date(2026, 3, 2),
        details=PENALTY,
        actor=member_of(enterprise),
        via="form",
        published_at=at(dt.date(2026, 3, 31)),
    )
    assert InstantDisclosure.objects.get(pk=disclosure.pk).late is True
    assert InstantDisclosure.objects.filter(late=True).count() == 1


# --- constraints, both ways ---------------------------------------------------------------------------
def test_due_date_not_20_working_days_after_the_fact_is_refused():
    disclosure = InstantDisclosureFactory.build(
        enterprise=EnterpriseFactory(), occurred_on=dt.date(2026, 3, 2), due_on=dt.date(2026, 3, 10)
    )
    assert_refused_both_ways(disclosure, message="20 working days after the fact")


def test_publishing_before_the_fact_is_refused():
    disclosure = InstantDisclosureFactory.build(
        enterprise=EnterpriseFactory(),
        occurred_on=dt.date(2026, 3, 2),
        due_on=dt.date(2026, 3, 30),
        published_on=dt.date(2026, 3, 1),
    )
    assert_refused_both_ways(disclosure, message="cannot be published before it happened")


def test_details_missing_a_required_field_of_the_kind_are_refused():
    details = dict(PENALTY)
    del details["decision_number"]
    disclosure = InstantDisclosureFactory.build(enterprise=EnterpriseFactory(), details=details)
    assert_refused_both_ways(disclosure, message="decision_number")


def test_details_of_another_kind_are_refused():
    disclosure = InstantDisclosureFactory.build(
        enterprise=EnterpriseFactory(), kind="equity_change", details=PENALTY
    )
    assert_refused_both_ways(disclosure, message="Unknown details")


def test_unknown_kind_is_refused():
    disclosure = InstantDisclosureFactory.build(enterprise=EnterpriseFactory(), kind="rumour")
    assert_refused_both_ways(disclosure, message="not a valid choice")


def test_corrected_at_without_a_new_version_is_refused():
    disclosure = InstantDisclosureFactory.build(enterprise=EnterpriseFactory(), corrected_at=timezone.now())
    assert_refused_both_ways(disclosure, message="version above 1")


def test_blank_required_detail_and_unknown_code_fail_full_clean():
    blank = InstantDisclosureFactory.build(
        enterprise=EnterpriseFactory(), details={**PENALTY, "violation": " "}
    )
    with pytest.raises(ValidationError, match="violation"):
        blank.full_clean()
    licence = InstantDisclosureFactory.build(
        enterprise=EnterpriseFactory(),
        kind="licence",
        details={"action": "sold", "number": "1", "name": "x", "authority": "y", "valid_from": "2026-01-01"},
    )
    with pytest.raises(ValidationError, match="Unknown values: action"):
        licence.full_clean()


def test_a_well_formed_disclosure_is_accepted():
    disclosure = InstantDisclosureFactory.build(enterprise=EnterpriseFactory())
    disclosure.full_clean()
    disclosure.save()
    assert InstantDisclosure.objects.get(pk=disclosure.pk).late is False


def test_service_refuses_a_fact_in_the_future():
    with pytest.raises(ValidationError, match="before it happened"):
        instant_disclosure_publish(
            enterprise=(enterprise := EnterpriseFactory()),
            kind="penalty",
            occurred_on=timezone.localdate() + dt.timedelta(days=3),
            details=PENALTY,
            actor=member_of(enterprise),
            via="form",
        )
    assert not InstantDisclosure.objects.exists()


# --- corrections and the audit trail ------------------------------------------------------------------
def test_correction_keeps_the_earlier_version_and_the_late_mark():
    filer, corrector = user("first"), user("second")
    disclosure = instant_disclosure_publish(
        enterprise=(enterprise := EnterpriseFactory()),
        kind="penalty",
        occurred_on=dt.date(2026, 3, 2),
        details=PENALTY,
        actor=member_of(enterprise, filer.username),
        via="form",
        published_at=at(dt.date(2026, 4, 15)),
    )
    corrected = instant_disclosure_correct(
        disclosure=disclosure,
        occurred_on=dt.date(2026, 3, 3),
        details={**PENALTY, "content": "罚款二万元"},
        reason="罚款金额录入错误",
        actor=member_of(disclosure.enterprise, corrector.username),
        via="form",
    )
    assert corrected.version == 2 and corrected.corrected_at is not None
    assert corrected.details["content"] == "罚款二万元"
    assert corrected.due_on == instant_disclosure_due_on(dt.date(2026, 3, 3))
    assert corrected.published_on == dt.date(2026, 4, 15)
    assert corrected.late is True
    kept = InstantDisclosureVersion.objects.get(disclosure=disclosure)
    assert kept.version == 1 and kept.details["content"] == "罚款一万元"
    assert kept.occurred_on == dt.date(2026, 3, 2) and kept.published_by == filer
    assert kept.replaced_by == corrector and kept.reason == "罚款金额录入错误"

    created, updated = audit_entries(disclosure)
    assert created.action == "create" and created.actor == filer and created.via == "form"
    assert updated.action == "update" and updated.reason == "罚款金额录入错误"
    assert updated.changes["version"] == [1, 2]
    assert audit_entries(kept).get().action == "create"


def test_correction_needs_a_reason_and_a_change():
    disclosure = InstantDisclosureFactory()
    with pytest.raises(ValidationError, match="Say why"):
        instant_disclosure_correct(
            disclosure=disclosure,
            occurred_on=disclosure.occurred_on,
            details={**disclosure.details, "content": "x"},
            reason=" ",
            actor=member_of(disclosure.enterprise),
            via="form",
        )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        instant_disclosure_correct(
            disclosure=disclosure,
            occurred_on=disclosure.occurred_on,
            details=disclosure.details,
            reason="重新公示",
            actor=member_of(disclosure.enterprise),
            via="form",
        )
    assert not InstantDisclosureVersion.objects.exists()


def test_a_kept_version_needs_a_reason_both_ways():
    disclosure = InstantDisclosureFactory()
    version = InstantDisclosureVersion(
        disclosure=disclosure,
        version=1,
        occurred_on=disclosure.occurred_on,
        due_on=disclosure.due_on,
        details=disclosure.details,
        published_at=disclosure.published_at,
        replaced_at=timezone.now(),
        reason="",
    )
    with pytest.raises(ValidationError):
        version.full_clean()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        version.save()


def test_publishing_is_audited_and_records_no_subject_event():
    filer = user()
    disclosure = instant_disclosure_publish(
        enterprise=(enterprise := EnterpriseFactory()),
        kind="penalty",
        occurred_on=dt.date(2026, 3, 2),
        details=PENALTY,
        actor=member_of(enterprise, filer.username),
        via="form",
    )
    entry = audit_entries(disclosure).get()
    assert entry.action == "create" and entry.actor == filer
    assert entry.changes["kind"] == [None, "penalty"]
    assert not disclosure.enterprise.subject_events.exists()


def test_admin_lists_and_shows_disclosures_read_only(admin_client):
    disclosure = InstantDisclosureFactory(published_on=dt.date(2026, 4, 20))
    instant_disclosure_correct(
        disclosure=disclosure,
        occurred_on=disclosure.occurred_on,
        details={**disclosure.details, "content": "罚款二万元"},
        reason="金额录入错误",
        actor=member_of(disclosure.enterprise),
        via="form",
    )
    changelist = admin_client.get("/admin/filings/instantdisclosure/?late=yes")
    assert changelist.status_code == 200 and disclosure.enterprise.name in changelist.content.decode()
    page = admin_client.get(f"/admin/filings/instantdisclosure/{disclosure.pk}/change/").content.decode()
    assert "金额录入错误" in page and "罚款二万元" in page
    assert admin_client.get("/admin/filings/instantdisclosure/add/").status_code == 403
