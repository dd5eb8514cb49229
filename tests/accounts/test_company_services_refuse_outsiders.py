"""Every company self-service service refuses an actor who does not act for the enterprise.

One case per service: it prepares what the service needs (as a member of the enterprise, or through
a clerk's service as SYSTEM), then calls the service as the actor under test. A member may act; a
user with no membership, and a member of another enterprise, get ``PermissionDenied``.

Each calls ``accounts.services.require_acts_for`` first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import EnterpriseMembership
from accounts.services import membership_remove
from blacklists.models import ListType
from blacklists.services import list_entry_create
from casework.services import abnormal_removal_apply, objection_submit, repair_application_submit
from filings.models import CreditCommitment
from filings.services import (
    annual_report_amend,
    annual_report_draft_save,
    annual_report_submit,
    credit_commitment_sign,
    instant_disclosure_correct,
    instant_disclosure_publish,
)
from registry.models import AbnormalOperationListing, AuditEntry
from registry.services import document_store
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory, PenaltyFactory
from tests.filings.test_filings import full_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IN_WINDOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2025, 8, 1, 9, 0, tzinfo=dt.UTC)
PUBLISHED = dt.datetime(2026, 3, 30, 10, 0, tzinfo=dt.UTC)
PENALTY = {
    "decision_number": "合市监罚〔2026〕7号",
    "violation": "虚假宣传",
    "content": "罚款一万元",
    "authority": "合肥市市场监督管理局",
}


def document(enterprise, kind: str):
    return document_store(
        enterprise=enterprise,
        kind=kind,
        uploaded_file=SimpleUploadedFile(f"{kind}.pdf", PDF + kind.encode()),
        actor=SYSTEM,
        via="form",
    )


def filing_submitted(enterprise, owner, *, now=IN_WINDOW):
    return annual_report_submit(
        enterprise=enterprise,
        year=2024,
        data=full_data(),
        unpublished_fields=[],
        actor=owner,
        via="form",
        now=now,
    )


# --- the cases: (actor, enterprise, owner) -> the service's call as ``actor`` -----------------------
def draft_save(actor, enterprise, owner):
    return annual_report_draft_save(
        enterprise=enterprise,
        year=2024,
        data={"employees": 30},
        unpublished_fields=[],
        actor=actor,
        via="form",
    )


def submit(actor, enterprise, owner):
    return filing_submitted(enterprise, actor)


def amend(actor, enterprise, owner):
    filing = filing_submitted(enterprise, owner)
    return annual_report_amend(
        filing=filing,
        data=full_data(employees=31),
        unpublished_fields=[],
        note="员工人数更正",
        actor=actor,
        via="form",
        now=IN_WINDOW,
    )


def removal_apply(actor, enterprise, owner):
    listing = AbnormalOperationListing.objects.create(
        enterprise=enterprise,
        reason=AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED,
        listed_on=dt.date(2025, 7, 1),
        listing_agency=enterprise.registration_authority,
    )
    filing_submitted(enterprise, owner, now=LATE)
    return abnormal_removal_apply(listing=listing, actor=actor, via="form", now=LATE)


def disclosure_publish(actor, enterprise, owner):
    return instant_disclosure_publish(
        enterprise=enterprise,
        kind="penalty",
        occurred_on=dt.date(2026, 3, 2),
        details=PENALTY,
        actor=actor,
        via="form",
        published_at=PUBLISHED,
    )


def disclosure_correct(actor, enterprise, owner):
    disclosure = disclosure_publish(owner, enterprise, owner)
    return instant_disclosure_correct(
        disclosure=disclosure,
        occurred_on=disclosure.occurred_on,
        details={**PENALTY, "content": "罚款一万二千元"},
        reason="罚款金额更正",
        actor=actor,
        via="form",
    )


def commitment_sign(actor, enterprise, owner):
    """A commitment the company signs itself in self-service (clerks record others in admin)."""
    return credit_commitment_sign(
        enterprise=enterprise,
        kind=CreditCommitment.Kind.APPROVAL_SUBSTITUTION,
        title="证明事项告知承诺书",
        text="承诺符合条件。",
        signed_on=dt.date(2026, 3, 2),
        signer_name="张伟",
        actor=actor,
        via="form",
    )


def objection(actor, enterprise, owner):
    penalty = PenaltyFactory(enterprise=enterprise)
    return objection_submit(
        enterprise=enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason="The fine was paid and the decision was revoked on appeal.",
        documents=[document(enterprise, "objection_evidence")],
        actor=actor,
        via="form",
    )


def repair(actor, enterprise, owner):
    list_type = ListType.objects.get(code="gac-dishonest")
    start = timezone.localdate() - dt.timedelta(days=400)
    entry = list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise,
        issuing_agency=list_type.owner,
        decision_number="海关失信〔2024〕1号",
        decision_date=start,
        starts_on=start,
        planned_end=start + dt.timedelta(days=list_type.max_period_days),
    )
    kinds = ["repair_application", "repair_commitment", "proof_of_performance", "authorisation"]
    return repair_application_submit(
        enterprise=enterprise,
        list_entry=entry,
        documents=[document(enterprise, kind) for kind in kinds],
        actor=actor,
        via="form",
    )


def member_remove(actor, enterprise, owner):
    other = get_user_model().objects.create_user("another-filer", password="x")
    membership = EnterpriseMembership.objects.create(user=other, enterprise=enterprise)
    return membership_remove(membership=membership, actor=actor)


@dataclass(frozen=True)
class Case:
    name: str
    act: Callable
    role: str = EnterpriseMembership.Role.FILER  # the role a member needs


CASES = [
    Case("annual_report_draft_save", draft_save),
    Case("annual_report_submit", submit),
    Case("annual_report_amend", amend),
    Case("abnormal_removal_apply", removal_apply),
    Case("instant_disclosure_publish", disclosure_publish),
    Case("instant_disclosure_correct", disclosure_correct),
    Case("credit_commitment_sign", commitment_sign),
    Case("objection_submit", objection),
    Case("repair_application_submit", repair),
    Case("membership_remove", member_remove, role=EnterpriseMembership.Role.ADMINISTRATOR),
]


def refusal_cases():
    return [pytest.param(case, id=case.name) for case in CASES]


@pytest.fixture
def enterprise():
    return EnterpriseFactory(registration_authority=AgencyFactory())


def user(name: str):
    return get_user_model().objects.create_user(name, email=f"{name}@example.com", password="x")


def member_of(enterprise, name: str, role: str = EnterpriseMembership.Role.FILER):
    member = user(name)
    EnterpriseMembership.objects.create(user=member, enterprise=enterprise, role=role)
    return member


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_member_of_the_enterprise_may_act(case, enterprise):
    owner = member_of(enterprise, "owner", EnterpriseMembership.Role.ADMINISTRATOR)
    actor = member_of(enterprise, "member", case.role)
    case.act(actor, enterprise, owner)
    assert AuditEntry.objects.filter(actor=actor).exists()  # the service wrote, in the member's name


@pytest.mark.parametrize("case", refusal_cases())
def test_a_user_without_membership_is_refused(case, enterprise):
    owner = member_of(enterprise, "owner", EnterpriseMembership.Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        case.act(user("outsider"), enterprise, owner)


@pytest.mark.parametrize("case", refusal_cases())
def test_a_member_of_another_enterprise_is_refused(case, enterprise):
    owner = member_of(enterprise, "owner", EnterpriseMembership.Role.ADMINISTRATOR)
    elsewhere = member_of(EnterpriseFactory(), "elsewhere", EnterpriseMembership.Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        case.act(elsewhere, enterprise, owner)
