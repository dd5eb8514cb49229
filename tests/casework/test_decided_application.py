"""The shared base and the one decide service: what all three applications have in common."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AgencyMembership
from casework.admin import documents
from casework.admin.documents import document_links, document_url, document_url_builder_register
from casework.models import AbnormalRemovalApplication, DecidedApplication, Objection, RepairApplication
from casework.services import abnormal_removal_apply, application_decide, decide, may_decide, objection_submit
from casework.services.decide import decision_rule
from core.workdays import add_working_days
from registry.models import AbnormalOperationListing, AuditEntry, SubjectEvent
from registry.services.audit import SYSTEM
from tests.casework.test_removal import LATE, submit
from tests.factories import AgencyFactory, EnterpriseFactory, PenaltyFactory, member_of
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db
REASON = "The fine was paid and the decision was revoked on appeal."


@pytest.fixture
def filer(django_user_model, listed):
    user = django_user_model.objects.create_user("filer", password="x")
    return member_of(user=user, enterprise=listed.enterprise)


@pytest.fixture
def listed():
    enterprise = EnterpriseFactory(registration_authority=AgencyFactory())
    call_command("list_late_filers", "--year", "2024", "--on", "2025-07-01")
    return AbnormalOperationListing.objects.get(enterprise=enterprise)


def clerk_of(agency, username="clerk"):
    user = User.objects.create_user(username, password="x", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def superuser():
    return User.objects.create_superuser("root", password="x")


def objection(penalty=None):
    penalty = penalty or PenaltyFactory()
    return objection_submit(
        enterprise=penalty.enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason=REASON,
        documents=[],
        actor=member_of(penalty.enterprise),
        via="form",
    )


# --- the base -----------------------------------------------------------------------------------------
def test_the_three_applications_share_the_base_and_its_constraints():
    for model in (Objection, RepairApplication, AbnormalRemovalApplication):
        assert issubclass(model, DecidedApplication)
        names = {constraint.name for constraint in model._meta.constraints}
        label = model._meta.model_name
        assert {f"casework_{label}_due_after_submitted", f"casework_{label}_decision_complete"} <= names
        assert decision_rule(model) is not None


def test_the_tables_of_the_moved_models_are_kept():
    assert Objection._meta.db_table == "registry_objection"
    assert RepairApplication._meta.db_table == "blacklists_repairapplication"
    assert AbnormalRemovalApplication._meta.db_table == "registry_abnormalremovalapplication"
    assert Objection.documents.through._meta.db_table == "registry_objection_documents"
    assert RepairApplication.documents.through._meta.db_table == "blacklists_repairapplication_documents"


def test_pending_and_overdue_count_an_open_objection_as_undecided():
    first = objection()
    today = timezone.localdate()
    assert list(Objection.objects.pending()) == [first]
    assert not Objection.objects.overdue(today).exists()
    assert list(Objection.objects.overdue(first.due_on + dt.timedelta(days=1))) == [first]
    assert first.is_pending and not first.is_overdue(first.due_on)
    assert first.is_overdue(first.due_on + dt.timedelta(days=1))
    application_decide(application=first, outcome="upheld", reason="Stands.", actor=superuser(), via="admin")
    assert not Objection.objects.pending().exists() and list(Objection.objects.decided()) == [first]
    assert not first.is_overdue(first.due_on + dt.timedelta(days=1))


# --- the removal application on the base --------------------------------------------------------------
def test_removal_application_is_decided_by_the_listing_agency_within_five_working_days(listed, filer):
    submit(listed.enterprise, filer, now=LATE)
    application = abnormal_removal_apply(listing=listed, actor=filer, via="form")
    assert application.agency == listed.listing_agency
    assert application.due_on == add_working_days(timezone.localdate(application.submitted_at), 5)


def test_removal_application_due_before_submission_is_refused_both_ways(listed, filer):
    application = AbnormalRemovalApplication(
        listing=listed,
        enterprise=listed.enterprise,
        agency=listed.listing_agency,
        report_year=2024,
        submitted_by=filer,
        submitted_at=LATE,
        due_on=dt.date(2025, 7, 31),
    )
    assert_refused_both_ways(application, message="cannot be due before")


def test_decided_removal_without_reason_is_refused_both_ways(listed, filer):
    application = AbnormalRemovalApplication(
        listing=listed,
        enterprise=listed.enterprise,
        agency=listed.listing_agency,
        report_year=2024,
        submitted_by=filer,
        submitted_at=LATE,
        due_on=dt.date(2025, 8, 8),
        status="approved",
        decided_by=filer,
        decided_at=LATE,
        decision_reason="  ",
    )
    assert_refused_both_ways(application, message="pending application has no decision")


def test_approving_a_removal_without_a_reason_records_the_standard_one(listed, filer):
    submit(listed.enterprise, filer, now=LATE)
    application = abnormal_removal_apply(listing=listed, actor=filer, via="form")
    clerk = clerk_of(listed.listing_agency)
    returned = application_decide(
        application=application, outcome="approved", reason="", actor=clerk, via="admin"
    )
    assert returned is application and application.status == "approved"
    assert application.decision_reason == "The missing annual report was filed."
    audit = AuditEntry.objects.get(
        object_pk=str(application.pk), action="update", content_type__app_label="casework"
    )
    assert audit.reason == application.decision_reason and audit.changes["status"] == ["pending", "approved"]


# --- the decide service -------------------------------------------------------------------------------
def test_an_outcome_of_another_type_is_refused():
    first = objection()
    with pytest.raises(ValidationError, match="corrected or upheld"):
        application_decide(application=first, outcome="approved", reason="x", actor=superuser(), via="admin")
    first.refresh_from_db()
    assert first.is_open and not SubjectEvent.objects.exists()


def test_each_type_keeps_its_permission_rule(listed, filer):
    # The system actor decides credit repair (jobs), but neither objections nor removals.
    assert not may_decide(SYSTEM, objection())
    submit(listed.enterprise, filer, now=LATE)
    removal = abnormal_removal_apply(listing=listed, actor=filer, via="form")
    with pytest.raises(PermissionDenied):
        application_decide(application=removal, outcome="approved", reason="ok", actor=SYSTEM, via="command")
    # A superuser decides an objection, not a removal: only the listing agency's clerks do.
    root = superuser()
    assert may_decide(root, Objection.objects.get()) and not may_decide(root, removal)


def test_a_failing_effect_leaves_the_application_undecided(monkeypatch):
    first = objection()

    def broken(*args, **kwargs):
        raise RuntimeError("effect failed")

    monkeypatch.setitem(
        decide._RULES, Objection, dataclasses.replace(decision_rule(Objection), effect=broken)
    )
    with pytest.raises(RuntimeError):
        application_decide(
            application=first, outcome="upheld", reason="Stands.", actor=superuser(), via="admin"
        )
    first.refresh_from_db()
    assert first.is_open and not AuditEntry.objects.filter(object_pk=str(first.pk), action="update").exists()


# --- documents in admin -------------------------------------------------------------------------------
def test_document_links_use_the_registered_builder(monkeypatch):
    class Document:
        pk = 7

        def __str__(self):
            return "licence.pdf"

    monkeypatch.setattr(documents, "_url_builder", None)
    assert "href" not in str(document_links([Document()])) and "licence.pdf" in str(
        document_links([Document()])
    )
    document_url_builder_register(lambda document: f"/documents/{document.pk}/")
    assert '<a href="/documents/7/">licence.pdf</a>' in str(document_links([Document()]))
    assert document_links([]) == "—"


def test_the_portal_registers_its_document_view():
    class Document:
        pk = 3

    assert document_url(Document()) == reverse("portal:document", args=[3])
