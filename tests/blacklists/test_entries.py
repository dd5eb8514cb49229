import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from blacklists.permissions import maintainable_entries, may_maintain
from blacklists.services import (
    build_entry,
    court_case_create,
    list_entries_expire,
    list_entry_create,
    list_entry_extend,
    list_entry_remove,
    list_entry_repair,
    list_entry_revoke,
)
from registry.models import Agency, AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def court_list():
    return ListType.objects.get(code="court-defaulters")


def spc():
    return Agency.objects.get(short_code="spc")


def entry_fields(**overrides):
    fields = {
        "list_type": court_list(),
        "issuing_agency": spc(),
        "decision_number": "(2019)皖1122执1194号",
        "decision_date": TODAY - dt.timedelta(days=10),
        "starts_on": TODAY - dt.timedelta(days=10),
    }
    fields.update(overrides)
    if "person" not in fields and "enterprise" not in fields:
        fields["person"] = PersonFactory()
    return fields


def test_court_defaulter_entries_default_to_two_years():
    start = dt.date(2024, 2, 29)
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields(starts_on=start, decision_date=start))
    assert entry.planned_end == dt.date(2026, 2, 28)
    assert entry.status == "in_force"
    change = entry.status_changes.get()
    assert change.to_status == "in_force" and "(2019)皖1122执1194号" in change.reason
    assert AuditEntry.objects.filter(object_pk=str(entry.pk), action="create").exists()


def test_default_period_across_a_leap_day_stays_within_the_lists_maximum():
    serious_illegal = ListType.objects.get(code="samr-serious-illegal")
    start = dt.date(2027, 6, 1)  # three years from here include 29 February 2028: 1,096 days
    entry = list_entry_create(
        actor=SYSTEM,
        via="form",
        **entry_fields(
            list_type=serious_illegal,
            issuing_agency=serious_illegal.owner,
            enterprise=EnterpriseFactory(),
            starts_on=start,
            decision_date=start,
        ),
    )
    assert (entry.planned_end - start).days == serious_illegal.max_period_days == 1095


def test_entry_past_its_end_is_never_in_force_even_before_the_job():
    start = TODAY - dt.timedelta(days=800)
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields(starts_on=start, decision_date=start))
    assert entry.status == "in_force"
    assert entry.effective_status() == "expired"
    assert not ListEntry.objects.in_force().filter(pk=entry.pk).exists()
    assert ListEntry.objects.in_force(on=start + dt.timedelta(days=5)).filter(pk=entry.pk).exists()


def test_expire_command_is_idempotent_and_records_history():
    old = TODAY - dt.timedelta(days=800)
    expired = list_entry_create(actor=SYSTEM, via="form", **entry_fields(starts_on=old, decision_date=old))
    current = list_entry_create(actor=SYSTEM, via="form", **entry_fields(decision_number="(2024)京0105执1号"))
    call_command("expire_list_entries")
    call_command("expire_list_entries")
    expired.refresh_from_db()
    current.refresh_from_db()
    assert expired.status == "expired"
    assert current.status == "in_force"
    assert list(expired.status_changes.values_list("to_status", flat=True)) == ["in_force", "expired"]
    assert list_entries_expire() == 0


@pytest.mark.parametrize(
    ("action", "status"),
    [(list_entry_remove, "removed"), (list_entry_revoke, "revoked"), (list_entry_repair, "repaired")],
)
def test_ending_an_entry_needs_a_reason_and_keeps_history(admin_user, action, status):
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    with pytest.raises(ValidationError, match="reason"):
        action(entry=entry, reason=" ", actor=admin_user, via="admin")
    action(entry=entry, reason="案件已执行完毕", actor=admin_user, via="admin")
    assert entry.status == status
    change = entry.status_changes.last()
    assert (change.from_status, change.to_status, change.actor, change.reason) == (
        "in_force",
        status,
        admin_user,
        "案件已执行完毕",
    )
    assert not ListEntry.objects.in_force().filter(pk=entry.pk).exists()
    with pytest.raises(ValidationError, match="only an entry in force"):
        list_entry_revoke(entry=entry, reason="again", actor=admin_user, via="admin")


def test_extend_within_the_lists_maximum():
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    new_end = entry.starts_on + dt.timedelta(days=1500)
    list_entry_extend(
        entry=entry, planned_end=new_end, reason="以暴力方法妨碍执行，延长", actor=SYSTEM, via="admin"
    )
    assert entry.planned_end == new_end
    with pytest.raises(ValidationError, match="at most 1826 days"):
        list_entry_extend(
            entry=entry,
            planned_end=entry.starts_on + dt.timedelta(days=3000),
            reason="x",
            actor=SYSTEM,
            via="admin",
        )


def test_period_outside_the_lists_bounds_is_refused():
    with pytest.raises(ValidationError, match="at least 365 days"):
        build_entry(**entry_fields(planned_end=TODAY))
    with pytest.raises(ValidationError, match="before the start"):
        build_entry(**entry_fields(planned_end=TODAY - dt.timedelta(days=30)))
    no_fly = ListType.objects.get(code="caac-no-fly")
    with pytest.raises(ValidationError, match="does not allow permanent"):
        build_entry(**entry_fields(list_type=no_fly, permanent=True))


def test_subject_kind_must_be_accepted_by_the_list():
    no_fly = ListType.objects.get(code="caac-no-fly")
    with pytest.raises(ValidationError, match="does not hold enterprises"):
        build_entry(**entry_fields(list_type=no_fly, enterprise=EnterpriseFactory()))
    customs = ListType.objects.get(code="gac-dishonest")
    with pytest.raises(ValidationError, match="does not hold persons"):
        build_entry(**entry_fields(list_type=customs))
    organ = EnterpriseFactory(entity_type="government_organ")
    with pytest.raises(ValidationError, match="does not hold government bodies"):
        build_entry(
            **entry_fields(list_type=customs, enterprise=organ, planned_end=TODAY + dt.timedelta(days=400))
        )
    assert build_entry(**entry_fields(enterprise=organ)).enterprise == organ  # the court list holds them


def test_database_refuses_two_subjects_or_none():
    entry = build_entry(**entry_fields())
    entry.enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError, match="exactly one subject"):
        entry.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()
    entry.person = entry.enterprise = None
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_database_refuses_permanent_with_an_end_and_duplicates():
    entry = build_entry(**entry_fields())
    entry.permanent = True
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()
    first = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    with pytest.raises(ValidationError, match="already listed under this"):
        list_entry_create(actor=SYSTEM, via="form", **entry_fields(person=first.person))


def test_history_is_never_deleted():
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    with pytest.raises(IntegrityError), transaction.atomic():
        ListEntry.objects.filter(pk=entry.pk).delete()
    assert ListEntryStatusChange.objects.filter(entry=entry).exists()


def test_court_case_create_validates_the_case_number():
    fields = entry_fields(decision_number="2019皖执1194")
    detail = {
        "subject_kind": "person",
        "id_display": fields["person"].id_masked,
        "province_id": "340000",
        "filing_date": TODAY,
        "performance": "none",
        "circumstance": "1",
    }
    with pytest.raises(ValidationError, match="is not a case number"):
        court_case_create(
            list_type=court_list(), entry_fields=fields, detail_fields=detail, actor=SYSTEM, via="form"
        )
    fields["decision_number"] = "（2019）皖1122执1194号"
    entry = court_case_create(
        list_type=court_list(), entry_fields=fields, detail_fields=detail, actor=SYSTEM, via="form"
    )
    assert entry.decision_number == "(2019)皖1122执1194号"
    assert entry.court_defaulter.circumstance == "1"


# --- who may maintain: the system actor, never an anonymous one -------------------------------------
@pytest.mark.parametrize("nobody", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_an_anonymous_actor_maintains_nothing_while_the_system_actor_may(nobody):
    assert not may_maintain(nobody, list_type=court_list(), issuing_agency=spc())
    with pytest.raises(PermissionDenied):
        list_entry_create(actor=nobody, via="form", **entry_fields())
    assert not ListEntry.objects.exists()
    assert may_maintain(SYSTEM, list_type=court_list(), issuing_agency=spc())
    entry = list_entry_create(actor=SYSTEM, via="command", **entry_fields())
    assert not maintainable_entries(nobody, ListEntry.objects.all()).exists()
    assert list(maintainable_entries(SYSTEM, ListEntry.objects.all())) == [entry]
    # The audit trail names the system actor by its path, as it named jobs before.
    audit = AuditEntry.objects.get(object_pk=str(entry.pk), action="create", content_type__model="listentry")
    assert (audit.actor_id, audit.actor_label) == (None, "(command)")


def test_an_inactive_superuser_is_not_unrestricted():
    root = User.objects.create_superuser("root", password="pw-123456789")
    assert may_maintain(root, list_type=court_list())
    root.is_active = False
    assert not may_maintain(root, list_type=court_list())
