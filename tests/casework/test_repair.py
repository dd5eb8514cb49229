import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import AgencyMembership, EnterpriseMembership
from blacklists.models import ListEntry, ListType
from blacklists.selectors import restrictions_in_force
from blacklists.services import list_entry_create
from casework.models import RepairApplication
from casework.selectors import repair_eligibility, repair_targets_for_enterprise
from casework.services import application_decide, repair_application_submit
from core.workdays import add_working_days
from registry.models import Agency, AuditEntry, SubjectEvent
from registry.services import document_store
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory, PenaltyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BASE_KINDS = ["repair_application", "repair_commitment", "proof_of_performance", "authorisation"]


def listing(code="gac-dishonest", *, enterprise=None, days_ago=400, number="海关失信〔2024〕1号"):
    list_type = ListType.objects.get(code=code)
    start = TODAY - dt.timedelta(days=days_ago)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise or EnterpriseFactory(),
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        planned_end=start + dt.timedelta(days=list_type.max_period_days),
    )


def documents(enterprise, kinds=BASE_KINDS):
    return [
        document_store(
            enterprise=enterprise,
            kind=kind,
            uploaded_file=SimpleUploadedFile(f"{kind}.pdf", PDF + kind.encode()),
            actor=SYSTEM,
            via="form",
        )
        for kind in kinds
    ]


def clerk(agency: Agency, name="clerk") -> User:
    user = User.objects.create_user(name, password="pw-123456789", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def filer(enterprise) -> User:
    """A user who acts for ``enterprise``: only such a user may apply in its name."""
    user, _created = User.objects.get_or_create(username=f"filer-{enterprise.pk}")
    EnterpriseMembership.objects.get_or_create(user=user, enterprise=enterprise)
    return user


def submit(entry=None, penalty=None, kinds=BASE_KINDS):
    enterprise = (entry or penalty).enterprise
    return repair_application_submit(
        enterprise=enterprise,
        list_entry=entry,
        penalty=penalty,
        documents=documents(enterprise, kinds),
        actor=filer(enterprise),
        via="form",
    )


# --- constraints -------------------------------------------------------------------------------------


def test_exactly_one_target_refused_by_full_clean_and_database():
    entry = listing()
    penalty = PenaltyFactory(enterprise=entry.enterprise)
    base = {"enterprise": entry.enterprise, "agency": entry.issuing_agency, "due_on": TODAY}
    for targets in ({"list_entry": entry, "penalty": penalty}, {}):
        application = RepairApplication(**base, **targets)
        with pytest.raises(ValidationError, match="exactly one record"):
            application.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            application.save()


def test_decision_fields_must_match_the_status_both_ways():
    entry = listing()
    base = {
        "enterprise": entry.enterprise,
        "agency": entry.issuing_agency,
        "due_on": TODAY,
        "list_entry": entry,
    }
    bad = [
        RepairApplication(**base, status="approved"),  # no date, no reason
        RepairApplication(**base, status="pending", decided_at=timezone.now(), decision_reason="x"),
    ]
    for application in bad:
        with pytest.raises(ValidationError, match="pending application has no decision"):
            application.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            application.save()


def test_one_pending_application_per_record_both_ways():
    entry = listing()
    submit(entry)
    second = RepairApplication(
        enterprise=entry.enterprise, agency=entry.issuing_agency, due_on=TODAY, list_entry=entry
    )
    with pytest.raises(ValidationError, match="already pending"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


# --- eligibility -------------------------------------------------------------------------------------


def test_list_entry_eligible_once_the_minimum_period_has_passed():
    entry = listing(days_ago=100)  # gac-dishonest: at least 365 days
    eligibility = repair_eligibility(list_entry=entry)
    assert not eligibility.eligible and eligibility.repairable
    assert eligibility.eligible_from == entry.starts_on + dt.timedelta(days=365)
    assert date_format(eligibility.eligible_from, "DATE_FORMAT") in eligibility.reasons[0]
    assert repair_eligibility(list_entry=entry, on=eligibility.eligible_from).eligible
    assert not repair_eligibility(
        list_entry=entry, on=eligibility.eligible_from - dt.timedelta(days=1)
    ).eligible
    assert eligibility.required_documents == BASE_KINDS


def test_training_certificate_required_where_the_list_requires_it():
    assert ListType.objects.get(code="samr-serious-illegal").repair_requires_training
    assert not ListType.objects.get(code="spb-express-delivery").repair_requires_training
    serious = listing("samr-serious-illegal", number="市监严违〔2024〕1号")
    assert repair_eligibility(list_entry=serious).required_documents == [*BASE_KINDS, "training_certificate"]


def test_court_lists_are_not_repaired_by_application():
    court = ListType.objects.get(code="court-defaulters")
    entry = list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=court,
        enterprise=EnterpriseFactory(),
        issuing_agency=Agency.objects.get(short_code="spc"),
        decision_number="(2023)皖0102执1号",
        decision_date=TODAY - dt.timedelta(days=500),
        starts_on=TODAY - dt.timedelta(days=500),
    )
    eligibility = repair_eligibility(list_entry=entry)
    assert not eligibility.eligible and not eligibility.repairable and eligibility.eligible_from is None
    assert "performed" in eligibility.reasons[0]


@pytest.mark.parametrize(
    ("fine", "confiscated", "months_to", "serious"),
    [
        (Decimal("50000"), Decimal("0"), dt.date(2024, 6, 30), False),
        (Decimal("100000"), Decimal("0"), dt.date(2025, 3, 31), True),
        (Decimal("1000"), Decimal("5"), dt.date(2025, 3, 31), True),
    ],
)
def test_penalty_minimum_publication_three_months_or_one_year(fine, confiscated, months_to, serious):
    penalty = PenaltyFactory(
        fine_amount=fine, confiscated_amount=confiscated, decided_on=dt.date(2024, 3, 31)
    )
    early = repair_eligibility(penalty=penalty, on=months_to - dt.timedelta(days=1))
    assert not early.eligible and early.eligible_from == months_to
    assert ("one year" in early.reasons[0]) is serious
    assert repair_eligibility(penalty=penalty, on=months_to).eligible


def test_penalty_no_longer_published_is_not_repairable():
    penalty = PenaltyFactory(decided_on=TODAY - dt.timedelta(days=400), publication_ends_on=TODAY)
    eligibility = repair_eligibility(penalty=penalty)
    assert not eligibility.eligible and not eligibility.repairable
    assert penalty not in [
        target.record for target in repair_targets_for_enterprise(enterprise=penalty.enterprise)
    ]


def test_pending_application_makes_the_record_ineligible_with_a_reason():
    entry = listing()
    submit(entry)
    eligibility = repair_eligibility(list_entry=entry)
    assert not eligibility.eligible and "already pending" in eligibility.reasons[0]
    [target] = repair_targets_for_enterprise(enterprise=entry.enterprise)
    assert not target.eligibility.eligible


def test_targets_for_an_enterprise_in_bounded_queries(django_assert_max_num_queries):
    enterprise = EnterpriseFactory()
    for n in range(3):
        listing(enterprise=enterprise, number=f"海关失信〔2024〕{n}号")
        PenaltyFactory(enterprise=enterprise, decided_on=TODAY - dt.timedelta(days=200))
    with django_assert_max_num_queries(4):
        targets = repair_targets_for_enterprise(enterprise=enterprise)
    assert len(targets) == 6 and all(target.eligibility.eligible for target in targets)


# --- submitting --------------------------------------------------------------------------------------


def test_submit_names_each_missing_document():
    entry = listing("samr-serious-illegal", number="市监严违〔2024〕2号")
    with pytest.raises(ValidationError) as refused:
        submit(entry, kinds=["repair_application", "repair_commitment"])
    text = " ".join(refused.value.messages)
    assert "proof of performance" in text and "authorisation" in text and "training certificate" in text
    assert "credit repair application;" not in text
    assert not RepairApplication.objects.exists()


def test_submit_refuses_an_ineligible_record_and_another_enterprises_record():
    young = listing(days_ago=10)
    with pytest.raises(ValidationError, match="minimum listing period"):
        submit(young)
    entry = listing(number="海关失信〔2024〕9号")
    other = EnterpriseFactory()
    with pytest.raises(ValidationError, match="Only the enterprise"):
        repair_application_submit(
            enterprise=other, list_entry=entry, documents=documents(other), actor=filer(other), via="form"
        )


def test_submit_sets_the_agency_and_due_date_and_is_audited(settings):
    settings.REPAIR_DECISION_WORKING_DAYS = 15
    entry = listing()
    application = submit(entry)
    assert application.agency == entry.issuing_agency and application.status == "pending"
    assert application.due_on == add_working_days(TODAY, 15)
    assert sorted(application.documents.values_list("kind", flat=True)) == sorted(BASE_KINDS)
    audit = AuditEntry.objects.get(
        object_pk=str(application.pk), action="create", content_type__model="repairapplication"
    )
    assert len(audit.changes["documents"][1]) == 4


# --- deciding ----------------------------------------------------------------------------------------


def test_only_clerks_of_the_deciding_agency_or_superusers_decide():
    entry = listing()
    application = submit(entry)
    stranger = clerk(Agency.objects.get(short_code="sta"), "sta-clerk")
    with pytest.raises(PermissionDenied):
        application_decide(
            application=application, outcome="approved", reason="已整改", actor=stranger, via="admin"
        )
    with pytest.raises(ValidationError, match="reason"):
        application_decide(application=application, outcome="approved", reason=" ", actor=SYSTEM, via="admin")
    application.refresh_from_db()
    assert application.status == "pending"
    superuser = User.objects.create_superuser("root", password="pw-123456789")
    decided = application_decide(
        application=application, outcome="rejected", reason="材料不全", actor=superuser, via="admin"
    )
    assert decided.status == "rejected" and decided.decided_by == superuser
    with pytest.raises(ValidationError, match="already decided"):
        application_decide(
            application=application, outcome="approved", reason="再议", actor=superuser, via="admin"
        )


def test_approval_ends_the_entry_and_every_measure_the_same_day_with_history_kept():
    entry = listing()
    enterprise = entry.enterprise
    assert restrictions_in_force(enterprise=enterprise).measures  # the customs memorandum binds it
    application = submit(entry)
    gac_clerk = clerk(entry.issuing_agency, "gac-clerk")
    application_decide(
        application=application, outcome="approved", reason="已整改完毕", actor=gac_clerk, via="admin"
    )
    application.refresh_from_db()
    entry.refresh_from_db()
    assert application.status == "approved" and application.decided_by == gac_clerk
    assert entry.status == ListEntry.Status.REPAIRED
    assert not ListEntry.objects.in_force().filter(pk=entry.pk).exists()
    assert restrictions_in_force(enterprise=enterprise, on=TODAY).measures == []
    assert [change.to_status for change in entry.status_changes.all()] == ["in_force", "repaired"]
    event = SubjectEvent.objects.get(record_type="repair", record_id=application.pk)
    assert (
        event.kind == "decided" and event.enterprise == enterprise and entry.decision_number in event.summary
    )
    assert AuditEntry.objects.filter(
        object_pk=str(application.pk), action="update", content_type__model="repairapplication"
    ).exists()


def test_rejection_keeps_the_entry_and_allows_a_new_application():
    entry = listing()
    application = submit(entry)
    application_decide(
        application=application, outcome="rejected", reason="证明不足", actor=SYSTEM, via="admin"
    )
    entry.refresh_from_db()
    assert entry.status == "in_force"
    assert SubjectEvent.objects.filter(
        record_type="repair", record_id=application.pk, kind="decided"
    ).exists()
    assert repair_eligibility(list_entry=entry).eligible
    assert submit(entry).status == "pending"


def test_approval_of_a_penalty_ends_its_publication_today():
    penalty = PenaltyFactory(decided_on=TODAY - dt.timedelta(days=200))
    application = submit(penalty=penalty)
    assert application.agency == penalty.deciding_agency
    application_decide(
        application=application,
        outcome="approved",
        reason="罚款已缴清",
        actor=clerk(penalty.deciding_agency),
        via="admin",
    )
    penalty.refresh_from_db()
    assert penalty.publication_ends_on == TODAY
    assert not repair_eligibility(penalty=penalty).repairable
    assert SubjectEvent.objects.filter(
        record_type="repair", record_id=application.pk, kind="decided"
    ).exists()
    assert AuditEntry.objects.filter(
        object_pk=str(penalty.pk), content_type__model="administrativepenalty", action="update"
    ).exists()


# --- admin queue -------------------------------------------------------------------------------------


def test_admin_queue_shows_the_clerks_own_agency_and_approves_through_the_service(client):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    mine = submit(listing())
    theirs = submit(penalty=PenaltyFactory(decided_on=TODAY - dt.timedelta(days=200)))
    user = clerk(mine.agency, "gac-queue")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["blacklists", "casework"])
    )
    client.force_login(user)
    url = reverse("admin:casework_repairapplication_changelist")
    page = client.get(url).content.decode()
    assert mine.list_entry.decision_number in page and theirs.penalty.decision_number not in page
    detail = client.get(reverse("admin:casework_repairapplication_change", args=[mine.pk])).content.decode()
    assert "repair_commitment.pdf" in detail
    client.post(url, {"action": "approve", "_selected_action": [theirs.pk], "apply": "1", "reason": "越权"})
    theirs.refresh_from_db()
    assert theirs.status == "pending"
    client.post(url, {"action": "approve", "_selected_action": [mine.pk], "apply": "1", "reason": "已整改"})
    mine.refresh_from_db()
    assert mine.status == "approved" and mine.list_entry.status == "repaired"
