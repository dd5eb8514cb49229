"""Applications for removal from the abnormal-operations list after a late annual report."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accounts.models import AgencyMembership
from casework.models import AbnormalRemovalApplication
from casework.services import abnormal_removal_apply, application_decide
from registry.models import AbnormalOperationListing, SubjectEvent
from tests.factories import AgencyFactory, EnterpriseFactory, member_of
from tests.filings.test_filings import LATE
from tests.filings.test_filings import submit as submit_report

pytestmark = pytest.mark.django_db
DUE = dt.date(2025, 8, 8)


def submit(enterprise, filer, *, now):
    return submit_report(enterprise, filer, now=now)


@pytest.fixture
def filer(django_user_model, enterprise):
    user = django_user_model.objects.create_user("filer", password="x")
    return member_of(user=user, enterprise=enterprise)


@pytest.fixture
def enterprise():
    return EnterpriseFactory(registration_authority=AgencyFactory())


@pytest.fixture
def listed(enterprise):
    call_command("list_late_filers", "--year", "2024", "--on", "2025-07-01")
    return AbnormalOperationListing.objects.get(enterprise=enterprise)


@pytest.fixture
def clerk(django_user_model, enterprise):
    user = django_user_model.objects.create_user("clerk", password="x")
    AgencyMembership.objects.create(user=user, agency=enterprise.registration_authority)
    return user


def test_removal_application_needs_the_report_filed(enterprise, filer, listed):
    with pytest.raises(ValidationError, match="2024"):
        abnormal_removal_apply(listing=listed, actor=filer, via="form")
    submit(enterprise, filer, now=LATE)
    application = abnormal_removal_apply(listing=listed, actor=filer, via="form")
    assert application.report_year == 2024 and application.status == "pending"
    with pytest.raises(ValidationError):  # one pending application per listing
        abnormal_removal_apply(listing=listed, actor=filer, via="form")


def test_removal_only_for_missing_report_listings(enterprise, filer):
    other = AbnormalOperationListing.objects.create(
        enterprise=enterprise,
        reason="unreachable",
        listed_on=dt.date(2025, 7, 1),
        listing_agency=enterprise.registration_authority,
    )
    with pytest.raises(ValidationError):
        abnormal_removal_apply(listing=other, actor=filer, via="form")


def test_one_pending_application_refused_by_database(enterprise, filer, listed):
    AbnormalRemovalApplication.objects.create(
        listing=listed,
        enterprise=enterprise,
        agency=listed.listing_agency,
        report_year=2024,
        submitted_by=filer,
        submitted_at=LATE,
        due_on=DUE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AbnormalRemovalApplication.objects.create(
            listing=listed,
            enterprise=enterprise,
            agency=listed.listing_agency,
            report_year=2024,
            submitted_by=filer,
            submitted_at=LATE,
            due_on=DUE,
        )


def test_rejection_without_reason_refused_by_database(enterprise, filer, listed):
    with pytest.raises(IntegrityError), transaction.atomic():
        AbnormalRemovalApplication.objects.create(
            listing=listed,
            enterprise=enterprise,
            agency=listed.listing_agency,
            report_year=2024,
            submitted_by=filer,
            submitted_at=LATE,
            due_on=DUE,
            status="rejected",
            decided_by=filer,
            decided_at=LATE,
        )


def test_decision_by_clerk_of_listing_agency_removes_the_listing(
    enterprise, filer, listed, clerk, django_user_model
):
    submit(enterprise, filer, now=LATE)
    application = abnormal_removal_apply(listing=listed, actor=filer, via="form")
    stranger = django_user_model.objects.create_user("other-clerk", password="x")
    AgencyMembership.objects.create(user=stranger, agency=AgencyFactory())
    with pytest.raises(PermissionDenied):
        application_decide(
            application=application, outcome="approved", reason="", actor=stranger, via="admin"
        )
    decided = application_decide(
        application=application, outcome="approved", reason="", actor=clerk, via="admin"
    )
    listed.refresh_from_db()
    assert decided.status == "approved" and decided.decided_by == clerk
    assert listed.removed_on is not None and listed.removal_reason == "report_filed"
    assert SubjectEvent.objects.filter(enterprise=enterprise, kind="ended").exists()
    with pytest.raises(ValidationError):
        application_decide(application=decided, outcome="rejected", reason="x", actor=clerk, via="admin")


def test_rejection_needs_a_reason_and_keeps_the_listing(enterprise, filer, listed, clerk):
    submit(enterprise, filer, now=LATE)
    application = abnormal_removal_apply(listing=listed, actor=filer, via="form")
    with pytest.raises(ValidationError):
        application_decide(application=application, outcome="rejected", reason="", actor=clerk, via="admin")
    application_decide(
        application=application, outcome="rejected", reason="attachment missing", actor=clerk, via="admin"
    )
    listed.refresh_from_db()
    assert listed.removed_on is None
    assert SubjectEvent.objects.filter(enterprise=enterprise, kind="decided").exists()
