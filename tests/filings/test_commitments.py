"""Credit commitments: the rules refused twice, the services, their audit trail and the demo command."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from casework.admin.objections import record_admin_url
from casework.models import Objection
from casework.services import objection_submit
from filings.models import CreditCommitment
from filings.services import credit_commitment_create, credit_commitment_mark_broken
from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, CreditCommitmentFactory, EnterpriseFactory, member_of
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db
SIGNED = dt.date(2024, 2, 1)


def audit_entries(commitment):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CreditCommitment), object_pk=str(commitment.pk)
    ).order_by("at", "id")


def test_breach_date_without_agency_and_note_is_refused():
    commitment = CreditCommitmentFactory.build(
        enterprise=EnterpriseFactory(), source_agency=AgencyFactory(), broken_on=dt.date(2024, 5, 1)
    )
    assert_refused_both_ways(commitment, message="the date, the agency and a note together")


def test_breach_note_alone_is_refused():
    commitment = CreditCommitmentFactory.build(
        enterprise=EnterpriseFactory(), source_agency=AgencyFactory(), broken_note="不实"
    )
    assert_refused_both_ways(commitment, message="the date, the agency and a note together")


def test_breach_before_signing_is_refused():
    agency = AgencyFactory()
    commitment = CreditCommitmentFactory.build(
        enterprise=EnterpriseFactory(),
        source_agency=agency,
        signed_on=SIGNED,
        broken_on=SIGNED - dt.timedelta(days=1),
        broken_by=agency,
        broken_note="不实",
    )
    assert_refused_both_ways(commitment, message="cannot be broken before it was signed")


def test_blank_title_is_refused():
    commitment = CreditCommitmentFactory.build(enterprise=EnterpriseFactory(), source_agency=None, title=" ")
    with pytest.raises(ValidationError):
        commitment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        commitment.save()


def test_unknown_kind_is_refused():
    commitment = CreditCommitmentFactory.build(
        enterprise=EnterpriseFactory(), source_agency=None, kind="other"
    )
    assert_refused_both_ways(commitment, message="not a valid choice")


def test_complete_breach_is_accepted():
    agency = AgencyFactory()
    commitment = CreditCommitmentFactory.build(
        enterprise=EnterpriseFactory(),
        source_agency=None,
        broken_on=SIGNED,
        broken_by=agency,
        broken_note="不实",
    )
    commitment.full_clean()
    commitment.save()
    assert commitment.is_broken


def test_create_publishes_the_commitment_and_audits_it():
    company = EnterpriseFactory()
    agency = AgencyFactory()
    commitment = credit_commitment_create(
        enterprise=company,
        kind=CreditCommitment.Kind.APPROVAL_SUBSTITUTION,
        title=" 证明事项告知承诺书 ",
        text="承诺符合条件。",
        signed_on=SIGNED,
        signer_name="张伟",
        source_agency=agency,
        actor=SYSTEM,
        via="command",
    )
    commitment.refresh_from_db()
    assert commitment.title == "证明事项告知承诺书" and not commitment.is_broken
    (entry,) = audit_entries(commitment)
    assert entry.action == "create" and entry.via == "command"
    assert entry.changes["kind"] == [None, "approval_substitution"]


def test_create_refuses_a_bad_commitment_and_writes_nothing():
    with pytest.raises(ValidationError):
        credit_commitment_create(
            enterprise=EnterpriseFactory(),
            kind="voluntary",
            title="",
            text="承诺。",
            signed_on=SIGNED,
            signer_name="张伟",
            actor=SYSTEM,
            via="command",
        )
    assert (
        not CreditCommitment.objects.exists()
        and not AuditEntry.objects.filter(action="create")
        .filter(content_type=ContentType.objects.get_for_model(CreditCommitment))
        .exists()
    )


def test_mark_broken_records_the_breach_once_and_audits_it():
    commitment = CreditCommitmentFactory(signed_on=SIGNED)
    agency = AgencyFactory()
    credit_commitment_mark_broken(
        commitment=commitment,
        broken_on=dt.date(2024, 6, 1),
        broken_by=agency,
        note=" 承诺内容与实际不符 ",
        actor=SYSTEM,
        via="admin",
    )
    commitment.refresh_from_db()
    assert commitment.broken_on == dt.date(2024, 6, 1) and commitment.broken_by == agency
    assert commitment.broken_note == "承诺内容与实际不符"
    entry = audit_entries(commitment).get()
    assert entry.action == "update" and entry.reason == "承诺内容与实际不符"
    assert entry.changes["broken_on"] == [None, "2024-06-01"]
    with pytest.raises(ValidationError, match="already recorded as broken"):
        credit_commitment_mark_broken(
            commitment=commitment,
            broken_on=dt.date(2024, 7, 1),
            broken_by=agency,
            note="again",
            actor=SYSTEM,
            via="admin",
        )
    assert audit_entries(commitment).count() == 1


def test_mark_broken_refuses_a_missing_note_or_an_early_date():
    commitment = CreditCommitmentFactory(signed_on=SIGNED)
    agency = AgencyFactory()
    with pytest.raises(ValidationError, match="Say how"):
        credit_commitment_mark_broken(
            commitment=commitment, broken_on=SIGNED, broken_by=agency, note=" ", actor=SYSTEM, via="admin"
        )
    with pytest.raises(ValidationError, match="before it was signed"):
        credit_commitment_mark_broken(
            commitment=commitment,
            broken_on=SIGNED - dt.timedelta(days=3),
            broken_by=agency,
            note="不实",
            actor=SYSTEM,
            via="admin",
        )
    commitment.refresh_from_db()
    assert not commitment.is_broken and not audit_entries(commitment).exists()


def test_demo_command_creates_commitments_some_broken_and_respects_if_empty():
    EnterpriseFactory.create_batch(5, established=dt.date(2016, 1, 1), registration_authority=AgencyFactory())
    call_command("generate_demo_commitments", count=40, seed=3, if_empty=True)
    assert CreditCommitment.objects.count() == 40
    assert CreditCommitment.objects.filter(broken_on__isnull=False).exists()
    assert set(CreditCommitment.objects.values_list("kind", flat=True)) == set(CreditCommitment.Kind.values)
    assert (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(CreditCommitment)).count()
        >= 40
    )
    call_command("generate_demo_commitments", count=40, seed=3, if_empty=True)
    assert CreditCommitment.objects.count() == 40


def test_admin_adds_a_commitment_and_records_its_breach_once(admin_client, admin_user):
    from tests.registry.test_admin import admin_url, form_errors, form_payload

    company, agency = EnterpriseFactory(), AgencyFactory()
    payload = form_payload(admin_client.get(admin_url(CreditCommitment, "add")))
    payload.update(
        {
            "enterprise": str(company.pk),
            "kind": "credit_repair",
            "title": "信用修复承诺书",
            "text": "本企业承诺不再发生同类失信行为。",
            "signed_on": "2024-02-01",
            "signer_name": "张伟",
            "source_agency": str(agency.pk),
        }
    )
    assert admin_client.post(admin_url(CreditCommitment, "add"), payload).status_code == 302
    commitment = CreditCommitment.objects.get()
    assert audit_entries(commitment).get().actor == admin_user
    url = admin_url(CreditCommitment, "change", commitment.pk)
    payload = form_payload(admin_client.get(url))
    payload.update({"broken_on": "2024-05-01"})
    response = admin_client.post(url, payload)
    assert response.status_code == 200
    assert "the date, the agency and a note together" in " ".join(form_errors(response).get("__all__", []))
    payload.update({"broken_by": str(agency.pk), "broken_note": "再次发生失信行为"})
    assert admin_client.post(url, payload).status_code == 302
    commitment.refresh_from_db()
    assert commitment.is_broken and commitment.broken_note == "再次发生失信行为"
    assert [entry.action for entry in audit_entries(commitment)] == ["create", "update"]
    # A recorded breach is history: it can be seen, not changed or deleted.
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, payload).status_code == 403
    assert admin_client.get(admin_url(CreditCommitment, "delete", commitment.pk)).status_code == 403


def object_to(commitment, reason):
    return objection_submit(
        enterprise=commitment.enterprise,
        record_type=Objection.RecordType.COMMITMENT,
        record_id=commitment.pk,
        reason=reason,
        documents=[],
        actor=member_of(commitment.enterprise),
        via="form",
    )


def test_an_objection_about_a_commitment_goes_to_the_agency_that_found_it_broken_or_received_it():
    made_to, found_by = AgencyFactory(), AgencyFactory()
    kept = CreditCommitmentFactory(signed_on=SIGNED, source_agency=made_to)
    broken = CreditCommitmentFactory(signed_on=SIGNED, source_agency=made_to)
    credit_commitment_mark_broken(
        commitment=broken,
        broken_on=SIGNED + dt.timedelta(days=30),
        broken_by=found_by,
        note="The licence conditions were not met within the promised period.",
        actor=SYSTEM,
        via="admin",
    )
    about_kept = object_to(kept, "The commitment letter was withdrawn before it took effect.")
    assert about_kept.agency == made_to
    assert about_kept.record_summary == f"{kept.title} {SIGNED.isoformat()}"
    about_broken = object_to(broken, "The conditions were met before the deadline; see the inspection.")
    assert about_broken.agency == found_by


def test_the_objection_queue_links_a_commitment_to_its_admin_page():
    commitment = CreditCommitmentFactory(signed_on=SIGNED)
    objection = Objection(enterprise=commitment.enterprise, record_type="commitment", record_id=commitment.pk)
    assert record_admin_url(objection) == f"/admin/filings/creditcommitment/{commitment.pk}/change/"
