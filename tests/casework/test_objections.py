"""Objections (异议): the rules refused twice, submission, decision, permissions, deadline, events, audit."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AgencyMembership
from casework.models import Objection
from casework.services import application_decide, objection_submit
from core.workdays import add_working_days
from registry.models import AuditEntry, SubjectEvent
from registry.services import document_store
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory, LicenceFactory, PenaltyFactory, member_of
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REASON = "The fine was paid and the decision was revoked on appeal."
SUBMITTED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def clerk_of(agency, username="clerk"):
    user = User.objects.create_user(username, password="x", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def build(**overrides):
    penalty = overrides.pop("penalty", None) or PenaltyFactory()
    values = {
        "enterprise": penalty.enterprise,
        "record_type": "penalty",
        "record_id": penalty.pk,
        "record_summary": penalty.decision_number,
        "agency": penalty.deciding_agency,
        "reason": REASON,
        "submitted_at": SUBMITTED,
        "due_on": dt.date(2026, 3, 16),
    }
    values.update(overrides)
    return Objection(**values)


def submit(penalty, *, documents=(), actor=None, reason=REASON):
    return objection_submit(
        enterprise=penalty.enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason=reason,
        documents=documents,
        actor=member_of(penalty.enterprise, actor.username if actor else None),
        via="form",
    )


# --- constraints, both ways ------------------------------------------------------------------------
def test_short_reason_is_refused():
    assert_refused_both_ways(build(reason="  too short "), message="at least 10 characters")


def test_due_date_before_submission_is_refused():
    assert_refused_both_ways(build(due_on=dt.date(2026, 3, 1)), message="cannot be due before")


def test_due_date_counts_the_beijing_date_of_submission():
    # 20:00 UTC on 1 March is 2 March in Beijing: due on 1 March is before the submission.
    objection = build(submitted_at=dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC), due_on=dt.date(2026, 3, 1))
    assert_refused_both_ways(objection, message="cannot be due before")


def test_decision_without_reason_or_clerk_is_refused():
    objection = build(status="upheld", decided_at=SUBMITTED + dt.timedelta(days=1))
    assert_refused_both_ways(objection, message="outcome, time, clerk and reason together")


def test_open_objection_with_decision_reason_is_refused():
    assert_refused_both_ways(build(decision_reason="Checked."), message="outcome, time, clerk and reason")


def test_decision_before_submission_is_refused():
    user = User.objects.create_user("someone")
    objection = build(
        status="corrected",
        decided_at=SUBMITTED - dt.timedelta(hours=1),
        decided_by=user,
        decision_reason="ok",
    )
    assert_refused_both_ways(objection, message="no earlier than its submission")


def test_unknown_record_type_is_refused():
    assert_refused_both_ways(build(record_type="tax_record"), message="not a valid choice")


def test_second_open_objection_to_the_same_record_is_refused():
    penalty = PenaltyFactory()
    build(penalty=penalty).save()
    assert_refused_both_ways(build(penalty=penalty), message="already awaiting a decision")


def test_complete_decision_is_accepted():
    user = User.objects.create_user("someone")
    objection = build(
        status="corrected", decided_at=SUBMITTED + dt.timedelta(days=2), decided_by=user, decision_reason="ok"
    )
    objection.full_clean()
    objection.save()
    assert not objection.is_open


# --- submitting --------------------------------------------------------------------------------------
def test_submission_computes_agency_summary_and_due_date_in_working_days(settings):
    settings.OBJECTION_DECISION_WORKING_DAYS = 10
    penalty = PenaltyFactory(decision_number="合市监罚〔2024〕7号", violation="虚假宣传")
    pdf = document_store(
        enterprise=penalty.enterprise,
        kind="objection_evidence",
        uploaded_file=SimpleUploadedFile("proof.pdf", PDF),
        actor=SYSTEM,
        via="form",
    )
    user = User.objects.create_user("filer")
    objection = submit(penalty, documents=[pdf], actor=user)
    assert objection.agency == penalty.deciding_agency
    assert objection.record_summary == "合市监罚〔2024〕7号 虚假宣传"
    assert objection.submitted_by == user and objection.status == "open"
    assert list(objection.documents.all()) == [pdf]
    assert objection.due_on == add_working_days(timezone.localdate(objection.submitted_at), 10)
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Objection), object_pk=str(objection.pk)
    )
    assert entry.action == "create" and entry.changes["documents"] == [None, [pdf.pk]]
    # Submitting is not news for the subject: only the decision is notified.
    assert not SubjectEvent.objects.filter(record_type="objection").exists()


def test_due_date_skips_weekends_holidays_and_counts_make_up_days(monkeypatch, settings):
    # Submitted on Wednesday 30 September 2026 (Beijing): 1-7 October are holidays, Saturday
    # 10 October is a make-up working day, so the tenth working day is Tuesday 20 October.
    settings.OBJECTION_DECISION_WORKING_DAYS = 10
    now = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("casework.services.objections.timezone.now", lambda: now)
    objection = submit(PenaltyFactory())
    assert objection.due_on == dt.date(2026, 10, 20)


def test_record_of_another_enterprise_is_refused():
    penalty = PenaltyFactory()
    with pytest.raises(ValidationError, match="not on the profile"):
        objection_submit(
            enterprise=(enterprise := EnterpriseFactory()),
            record_type="penalty",
            record_id=penalty.pk,
            reason=REASON,
            documents=[],
            actor=member_of(enterprise),
            via="form",
        )
    assert not Objection.objects.exists()


def test_licence_fields_go_to_the_registration_authority():
    authority = AgencyFactory()
    enterprise = EnterpriseFactory(registration_authority=authority)
    objection = objection_submit(
        enterprise=enterprise,
        record_type="enterprise",
        record_id=enterprise.pk,
        reason=REASON,
        documents=[],
        actor=member_of(enterprise),
        via="form",
    )
    assert objection.agency == authority and enterprise.uscc in objection.record_summary


def test_list_entry_needs_the_agency_from_the_caller():
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError, match="issuing agency"):
        objection_submit(
            enterprise=enterprise,
            record_type="list_entry",
            record_id=5,
            reason=REASON,
            documents=[],
            actor=member_of(enterprise),
            via="form",
        )
    agency = AgencyFactory()
    objection = objection_submit(
        enterprise=enterprise,
        record_type="list_entry",
        record_id=5,
        reason=REASON,
        documents=[],
        actor=member_of(enterprise),
        via="form",
        agency=agency,
        record_summary="严重失信主体名单 (2024)1号",
    )
    assert objection.agency == agency


def test_only_one_open_objection_per_record_through_the_service():
    penalty = PenaltyFactory()
    submit(penalty)
    with pytest.raises(ValidationError, match="already awaiting a decision"):
        submit(penalty)


def test_documents_of_another_enterprise_or_too_many_are_refused():
    penalty = PenaltyFactory()
    other = document_store(
        enterprise=EnterpriseFactory(),
        kind="objection_evidence",
        uploaded_file=SimpleUploadedFile("x.pdf", PDF),
        actor=SYSTEM,
        via="form",
    )
    with pytest.raises(ValidationError, match="own documents"):
        submit(penalty, documents=[other])
    own = [
        document_store(
            enterprise=penalty.enterprise,
            kind="objection_evidence",
            uploaded_file=SimpleUploadedFile(f"{n}.pdf", PDF + bytes([n])),
            actor=SYSTEM,
            via="form",
        )
        for n in range(6)
    ]
    with pytest.raises(ValidationError, match="at most 5"):
        submit(penalty, documents=own)


def test_short_reason_is_refused_by_the_service():
    with pytest.raises(ValidationError, match="at least 10 characters"):
        submit(PenaltyFactory(), reason="wrong")


# --- deciding ------------------------------------------------------------------------------------------
def test_clerk_of_the_agency_decides_with_audit_and_event():
    penalty = PenaltyFactory()
    objection = submit(penalty)
    clerk = clerk_of(penalty.deciding_agency)
    application_decide(
        application=objection, outcome="corrected", reason="Fine amount corrected.", actor=clerk, via="admin"
    )
    objection.refresh_from_db()
    assert (objection.status, objection.decided_by, objection.decision_reason) == (
        "corrected",
        clerk,
        "Fine amount corrected.",
    )
    event = SubjectEvent.objects.get(record_type="objection", record_id=objection.pk)
    assert event.kind == "decided" and event.enterprise == penalty.enterprise
    assert penalty.decision_number in event.summary
    update = AuditEntry.objects.get(object_pk=str(objection.pk), action="update")
    assert update.changes["status"] == ["open", "corrected"] and update.reason == "Fine amount corrected."


def test_clerk_of_another_agency_and_anonymous_may_not_decide():
    objection = submit(PenaltyFactory())
    for actor in (clerk_of(AgencyFactory()), None, User.objects.create_user("plain", is_staff=True)):
        with pytest.raises(PermissionDenied):
            application_decide(
                application=objection, outcome="upheld", reason="Stands.", actor=actor, via="admin"
            )
    objection.refresh_from_db()
    assert objection.is_open and not SubjectEvent.objects.exists()


def test_superuser_decides_any_objection():
    objection = submit(PenaltyFactory())
    admin_user = User.objects.create_superuser("root", password="x")
    application_decide(
        application=objection, outcome="upheld", reason="Stands.", actor=admin_user, via="admin"
    )
    assert objection.status == "upheld"


def test_decision_needs_a_reason_and_a_known_outcome_and_happens_once():
    penalty = PenaltyFactory()
    objection = submit(penalty)
    clerk = clerk_of(penalty.deciding_agency)
    with pytest.raises(ValidationError, match="reason for the decision"):
        application_decide(application=objection, outcome="upheld", reason="  ", actor=clerk, via="admin")
    with pytest.raises(ValidationError, match="corrected or upheld"):
        application_decide(application=objection, outcome="open", reason="x", actor=clerk, via="admin")
    application_decide(application=objection, outcome="upheld", reason="Stands.", actor=clerk, via="admin")
    with pytest.raises(ValidationError, match="already decided"):
        application_decide(
            application=objection, outcome="corrected", reason="Again.", actor=clerk, via="admin"
        )
    assert SubjectEvent.objects.filter(record_type="objection").count() == 1


def test_a_new_objection_is_allowed_once_the_first_is_decided():
    penalty = PenaltyFactory()
    first = submit(penalty)
    application_decide(
        application=first,
        outcome="upheld",
        reason="Stands.",
        actor=clerk_of(penalty.deciding_agency),
        via="admin",
    )
    assert submit(penalty).is_open


def test_days_left_and_overdue():
    objection = build(due_on=dt.date(2026, 3, 16))  # a Monday
    assert objection.working_days_left(dt.date(2026, 3, 13)) == 1
    assert not objection.is_overdue(dt.date(2026, 3, 16))
    assert objection.is_overdue(dt.date(2026, 3, 17))
    assert objection.working_days_left(dt.date(2026, 3, 18)) == -2


def test_licence_objection_goes_to_the_issuing_agency():
    licence = LicenceFactory()
    objection = objection_submit(
        enterprise=licence.enterprise,
        record_type="licence",
        record_id=licence.pk,
        reason=REASON,
        documents=[],
        actor=member_of(licence.enterprise),
        via="form",
    )
    assert objection.agency == licence.issuing_agency


def test_database_refuses_a_second_open_objection_even_without_validation():
    penalty = PenaltyFactory()
    submit(penalty)
    with pytest.raises(IntegrityError), transaction.atomic():
        build(penalty=penalty).save()


# --- the admin queue -----------------------------------------------------------------------------------
def staff_clerk(agency, client, username="queue-clerk"):
    from django.contrib.auth.models import Permission

    user = clerk_of(agency, username)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "casework"]))
    client.force_login(user)
    return user


def test_clerk_queue_shows_only_their_agencys_objections_and_flags_overdue(client):
    from django.urls import reverse

    mine = submit(PenaltyFactory(decision_number="合市监罚〔2024〕101号"))
    Objection.objects.filter(pk=mine.pk).update(
        submitted_at=SUBMITTED, due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    theirs = submit(PenaltyFactory(decision_number="合市监罚〔2024〕202号"))
    staff_clerk(mine.agency, client)
    page = client.get(reverse("admin:casework_objection_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "合市监罚〔2024〕101号" in body and "合市监罚〔2024〕202号" not in body
    assert "Overdue" in body
    assert client.get(reverse("admin:casework_objection_change", args=[theirs.pk])).status_code == 403
    overdue = client.get(reverse("admin:casework_objection_changelist") + "?overdue=yes")
    assert overdue.context["cl"].result_count == 1


def test_clerk_decides_through_the_admin_form(client):
    from django.urls import reverse

    objection = submit(PenaltyFactory())
    clerk = staff_clerk(objection.agency, client)
    url = reverse("admin:casework_objection_change", args=[objection.pk])
    page = client.get(url)
    assert "corrects the record in the same step" in page.content.decode()
    refused = client.post(url, {"status": "upheld", "decision_reason": ""})
    assert refused.status_code == 200 and Objection.objects.get(pk=objection.pk).is_open
    done = client.post(url, {"status": "upheld", "decision_reason": "The record is right."})
    assert done.status_code == 302
    objection.refresh_from_db()
    assert (objection.status, objection.decided_by) == ("upheld", clerk)
    assert SubjectEvent.objects.filter(
        record_type="objection", record_id=objection.pk, kind="decided"
    ).exists()
    # A decided objection is history: view only.
    after = client.get(url)
    assert after.context["has_change_permission"] is False
    assert "The record is right." in after.content.decode()
