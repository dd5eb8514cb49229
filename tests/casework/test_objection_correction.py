"""A "corrected" decision corrects the disputed record in the same step, both audited, or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AgencyMembership
from blacklists.models import ListEntry, ListType
from blacklists.services import list_entry_create
from casework.models import Objection
from casework.services import objection_decide, objection_submit
from registry.models import AdministrativePenalty, AuditEntry, Enterprise, SubjectEvent
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory, PenaltyFactory, member_of

pytestmark = pytest.mark.django_db
REASON = "The fine was paid and the decision was revoked on appeal."
DECISION = "The fine was recorded ten times too high."


def clerk_of(agency, username="clerk"):
    user = User.objects.create_user(username, password="x", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def objection_to(enterprise, record_type, record_id, **extra):
    return objection_submit(
        enterprise=enterprise,
        record_type=record_type,
        record_id=record_id,
        reason=REASON,
        documents=[],
        actor=member_of(enterprise),
        via="form",
        **extra,
    )


def audit_of(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_pk=str(instance.pk)
    ).order_by("id")


@pytest.fixture
def penalty():
    return PenaltyFactory(fine_amount=Decimal("50000"))


@pytest.fixture
def objection(penalty):
    return objection_to(penalty.enterprise, "penalty", penalty.pk)


def test_corrected_decision_corrects_the_record_and_both_are_audited_together(penalty, objection):
    clerk = clerk_of(objection.agency)
    objection_decide(
        objection=objection,
        outcome="corrected",
        reason=DECISION,
        corrections={"fine_amount": Decimal("5000")},
        actor=clerk,
        via="admin",
    )
    penalty.refresh_from_db()
    objection.refresh_from_db()
    assert penalty.fine_amount == Decimal("5000") and objection.status == "corrected"
    (correction,) = audit_of(penalty)
    assert correction.changes["fine_amount"] == ["50000", "5000"]
    assert correction.actor == clerk and f"objection no. {objection.pk}" in correction.reason
    assert DECISION in correction.reason
    decision = audit_of(objection).last()
    assert decision.changes["status"] == ["open", "corrected"]
    assert decision.changes["record_corrected"] == [
        None,
        {"record_type": "penalty", "record_id": penalty.pk, "fields": ["fine_amount"]},
    ]
    # The company hears of both: the decision, and the change to its record.
    kinds = set(SubjectEvent.objects.filter(enterprise=penalty.enterprise).values_list("kind", flat=True))
    assert {"decided", "changed"} <= kinds


def test_a_refused_correction_leaves_nothing_written(penalty, objection):
    clerk = clerk_of(objection.agency)
    audits_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        objection_decide(
            objection=objection,
            outcome="corrected",
            reason=DECISION,
            corrections={"fine_amount": Decimal("5000"), "violation": ""},
            actor=clerk,
            via="admin",
        )
    assert "correction__violation" in refused.value.message_dict
    penalty.refresh_from_db()
    assert penalty.fine_amount == Decimal("50000") and penalty.violation
    assert Objection.objects.get(pk=objection.pk).is_open
    assert AuditEntry.objects.count() == audits_before
    assert not SubjectEvent.objects.filter(record_type="objection").exists()


def test_a_refused_decision_leaves_the_correction_unwritten(penalty, objection):
    with pytest.raises(ValidationError, match="reason"):
        objection_decide(
            objection=objection,
            outcome="corrected",
            reason="  ",
            corrections={"fine_amount": Decimal("5000")},
            actor=clerk_of(objection.agency),
            via="admin",
        )
    penalty.refresh_from_db()
    assert penalty.fine_amount == Decimal("50000") and not audit_of(penalty).exists()


def test_corrections_need_a_corrected_decision_and_correctable_fields(objection):
    clerk = clerk_of(objection.agency)
    with pytest.raises(ValidationError, match="Only a “corrected” decision changes the record"):
        objection_decide(
            objection=objection,
            outcome="upheld",
            reason=DECISION,
            corrections={"fine_amount": Decimal("1")},
            actor=clerk,
            via="admin",
        )
    with pytest.raises(ValidationError) as refused:
        objection_decide(
            objection=objection,
            outcome="corrected",
            reason=DECISION,
            corrections={"publication_ends_on": None},
            actor=clerk,
            via="admin",
        )
    assert "correction__publication_ends_on" in refused.value.message_dict
    assert Objection.objects.get(pk=objection.pk).is_open


def test_a_clerk_of_another_agency_may_not_correct(penalty, objection):
    with pytest.raises(PermissionDenied):
        objection_decide(
            objection=objection,
            outcome="corrected",
            reason=DECISION,
            corrections={"fine_amount": Decimal("1")},
            actor=clerk_of(AgencyFactory()),
            via="admin",
        )
    penalty.refresh_from_db()
    assert penalty.fine_amount == Decimal("50000")


def test_corrected_list_entry_changes_only_its_correctable_fields():
    list_type = ListType.objects.get(code="gac-dishonest")
    enterprise = EnterpriseFactory(name="合肥市错名商行")
    entry = list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise,
        issuing_agency=list_type.owner,
        decision_number="津关信〔2026〕9号",
        decision_date=dt.date(2026, 1, 5),
        starts_on=dt.date(2026, 1, 5),
        published_on=dt.date(2026, 1, 5),
    )
    objection = objection_to(
        enterprise, "list_entry", entry.pk, agency=entry.issuing_agency, record_summary=entry.decision_number
    )
    clerk = clerk_of(entry.issuing_agency)
    with pytest.raises(ValidationError):
        objection_decide(
            objection=objection,
            outcome="corrected",
            reason=DECISION,
            corrections={"planned_end": None},
            actor=clerk,
            via="admin",
        )
    objection_decide(
        objection=objection,
        outcome="corrected",
        reason=DECISION,
        corrections={"subject_name": "合肥市正名商行"},
        actor=clerk,
        via="admin",
    )
    assert ListEntry.objects.get(pk=entry.pk).subject_name == "合肥市正名商行"
    assert audit_of(entry).filter(action="update").get().changes["subject_name"][1] == "合肥市正名商行"


def test_corrected_enterprise_keeps_the_register_rules():
    enterprise = EnterpriseFactory(name="合肥市旧名商行", registration_authority=AgencyFactory())
    objection = objection_to(enterprise, "enterprise", enterprise.pk)
    objection_decide(
        objection=objection,
        outcome="corrected",
        reason=DECISION,
        corrections={"name": "合肥市新名商行"},
        actor=clerk_of(objection.agency),
        via="admin",
    )
    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    assert enterprise.name == "合肥市新名商行" and "合肥市旧名商行" in enterprise.former_names


# --- in admin -------------------------------------------------------------------------------------------
def staff_clerk(agency, client):
    user = clerk_of(agency)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "casework"]))
    client.force_login(user)
    return user


def test_the_decision_page_corrects_the_record_in_the_same_step(client, penalty, objection):
    staff_clerk(objection.agency, client)
    url = reverse("admin:casework_objection_change", args=[objection.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert form["correction__fine_amount"].initial == Decimal("50000")
    assert "Correction of the record" in page.content.decode()
    data = {name: form[name].value() for name in form.fields if name.startswith("correction__")}
    data = {name: "" if value is None else value for name, value in data.items()}
    refused = client.post(
        url, {**data, "status": "corrected", "decision_reason": DECISION, "correction__violation": ""}
    )
    assert refused.status_code == 200
    assert "correction__violation" in refused.context["adminform"].form.errors
    assert Objection.objects.get(pk=objection.pk).is_open and not audit_of(penalty).exists()
    done = client.post(
        url, {**data, "status": "corrected", "decision_reason": DECISION, "correction__fine_amount": "5000"}
    )
    assert done.status_code == 302
    assert AdministrativePenalty.objects.get(pk=penalty.pk).fine_amount == Decimal("5000")
    assert Objection.objects.get(pk=objection.pk).status == "corrected"
    assert set(audit_of(penalty).get().changes) == {"fine_amount"}


def test_an_upheld_decision_with_the_record_unchanged_corrects_nothing(client, penalty, objection):
    staff_clerk(objection.agency, client)
    url = reverse("admin:casework_objection_change", args=[objection.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name.startswith("correction__")}
    data = {name: "" if value is None else value for name, value in data.items()}
    done = client.post(url, {**data, "status": "upheld", "decision_reason": "The record is right."})
    assert done.status_code == 302
    assert Objection.objects.get(pk=objection.pk).status == "upheld" and not audit_of(penalty).exists()
