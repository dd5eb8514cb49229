"""Subject events from the list-entry lifecycle, the bulk importer and the expiry-notice command."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from blacklists.models import ListEntry
from blacklists.services import (
    list_entries_expiring_record,
    list_entry_correct,
    list_entry_create,
    list_entry_extend,
    list_entry_remove,
    list_entry_repair,
    list_entry_revoke,
)
from registry.models import SubjectEvent
from registry.services import person_create
from registry.services.audit import SYSTEM
from tests.blacklists.test_entries import court_list, entry_fields
from tests.blacklists.test_import_list import defaulter, run, write_csv
from tests.factories import EnterpriseFactory, make_resident_id, make_uscc
from tests.registry.helpers import tables_containing

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def kinds(entry):
    return list(
        SubjectEvent.objects.filter(record_type="list_entry", record_id=entry.pk)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_listing_publishes_an_event_for_the_person_without_the_id_number():
    number = make_resident_id(region="341122", birth="19700101")
    person = person_create(actor=SYSTEM, via="form", name="王强", id_number=number)
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields(person=person))
    event = SubjectEvent.objects.get()
    assert (event.person, event.enterprise, event.kind, event.record_type, event.record_id) == (
        person,
        None,
        "published",
        "list_entry",
        entry.pk,
    )
    assert event.summary == f"{court_list().name_zh} (2019)皖1122执1194号"
    assert tables_containing(number) == []


def test_listing_an_enterprise_publishes_an_event_for_the_enterprise():
    enterprise = EnterpriseFactory()
    list_entry_create(actor=SYSTEM, via="form", **entry_fields(enterprise=enterprise))
    assert SubjectEvent.objects.get().enterprise == enterprise


def test_extension_is_a_change():
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    list_entry_extend(
        entry=entry,
        planned_end=entry.starts_on + dt.timedelta(days=1500),
        reason="延长",
        actor=SYSTEM,
        via="admin",
    )
    assert kinds(entry) == ["published", "changed"]


@pytest.mark.parametrize("action", [list_entry_remove, list_entry_revoke, list_entry_repair])
def test_ending_an_entry_is_an_end(action, admin_user):
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    action(entry=entry, reason="案件已执行完毕", actor=admin_user, via="admin")
    assert kinds(entry) == ["published", "ended"]


def test_expiry_by_the_job_is_an_end():
    old = TODAY - dt.timedelta(days=800)
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields(starts_on=old, decision_date=old))
    call_command("expire_list_entries")
    call_command("expire_list_entries")
    assert kinds(entry) == ["published", "ended"]


def test_a_correction_is_a_change_and_a_no_op_correction_is_not():
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    list_entry_correct(entry=entry, actor=SYSTEM, via="admin", circumstance="有履行能力而拒不履行")
    list_entry_correct(entry=entry, actor=SYSTEM, via="admin", circumstance="有履行能力而拒不履行")
    assert kinds(entry) == ["published", "changed"]


def test_a_refused_end_records_no_event(admin_user):
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    list_entry_remove(entry=entry, reason="已履行", actor=admin_user, via="admin")
    with pytest.raises(ValidationError, match="only an entry in force"):
        list_entry_revoke(entry=entry, reason="again", actor=admin_user, via="admin")
    assert kinds(entry) == ["published", "ended"]


def test_rollback_of_the_outer_transaction_leaves_no_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        list_entry_create(actor=SYSTEM, via="form", **entry_fields())
        raise RuntimeError("the caller failed after listing")
    assert not ListEntry.objects.exists()
    assert not SubjectEvent.objects.exists()


def test_rollback_after_an_end_leaves_only_the_publication(admin_user):
    entry = list_entry_create(actor=SYSTEM, via="form", **entry_fields())
    with pytest.raises(RuntimeError), transaction.atomic():
        list_entry_remove(entry=entry, reason="已履行", actor=admin_user, via="admin")
        raise RuntimeError("the caller failed after ending")
    assert kinds(entry) == ["published"]


# The bulk importer


def import_rows(count: int, *, start: int = 0):
    return [
        defaulter(id_number=make_resident_id(serial=n), case_number=f"(2024)皖1122执{n}号")
        for n in range(start, start + count)
    ]


def test_import_writes_one_published_event_per_created_entry(tmp_path):
    uscc = make_uscc(region="341100")
    rows = [
        *import_rows(3),
        defaulter(
            name="滁州明远建材有限公司", id_number=uscc, sex="", age="", case_number="(2020)皖11执77号"
        ),
    ]
    run("court-defaulters", write_csv(tmp_path / "cases.csv", rows))
    entries = {entry.pk: entry for entry in ListEntry.objects.all()}
    events = list(SubjectEvent.objects.all())
    assert len(events) == len(entries) == 4
    for event in events:
        entry = entries[event.record_id]
        assert (event.kind, event.record_type) == ("published", "list_entry")
        assert (event.person_id, event.enterprise_id) == (entry.person_id, entry.enterprise_id)
        assert event.summary == f"{court_list().name_zh} {entry.decision_number}"
        assert event.occurred_at.tzinfo is not None and event.dispatched_at is None
    assert sum(1 for event in events if event.enterprise_id) == 1
    for row in rows[:3]:  # the persons' ID numbers are nowhere, events included
        assert tables_containing(row["id_number"]) == []

    # A re-import creates nothing, so tells nobody anything twice.
    run("court-defaulters", write_csv(tmp_path / "again.csv", rows))
    assert SubjectEvent.objects.count() == 4


def test_import_events_take_a_bounded_number_of_queries(tmp_path):
    def queries_for(count: int, start: int) -> int:
        path = write_csv(tmp_path / f"cases{start}.csv", import_rows(count, start=start))
        with CaptureQueriesContext(connection) as captured:
            run("court-defaulters", path)
        return len(captured)

    queries_for(1, 0)  # the first import also registers the court
    # Serials repeat every 1,000 (tests.factories.make_resident_id): both files name the person
    # of the first import again, so both check (and lock) that registered person.
    small = queries_for(5, 1000)
    large = queries_for(200, 2000)
    assert SubjectEvent.objects.count() == ListEntry.objects.count() == 206
    assert large <= small  # no query per row: 40 times the rows, the same queries


# Expiry notices


def test_expiring_command_records_one_notice_per_entry_and_is_idempotent():
    start = TODAY - dt.timedelta(days=700)
    soon = list_entry_create(
        actor=SYSTEM,
        via="form",
        **entry_fields(starts_on=start, decision_date=start, planned_end=TODAY + dt.timedelta(days=10)),
    )
    last_day = list_entry_create(
        actor=SYSTEM,
        via="form",
        **entry_fields(
            decision_number="(2023)皖01执9号",
            starts_on=start,
            decision_date=start,
            planned_end=TODAY + dt.timedelta(days=30),
        ),
    )
    later = list_entry_create(
        actor=SYSTEM,
        via="form",
        **entry_fields(decision_number="(2024)皖01执1号", planned_end=TODAY + dt.timedelta(days=400)),
    )
    ended = list_entry_create(
        actor=SYSTEM,
        via="form",
        **entry_fields(
            decision_number="(2023)皖01执2号",
            starts_on=start,
            decision_date=start,
            planned_end=TODAY + dt.timedelta(days=5),
        ),
    )
    list_entry_remove(entry=ended, reason="已履行", actor=SYSTEM, via="admin")
    past = TODAY - dt.timedelta(days=800)
    lapsed = list_entry_create(
        actor=SYSTEM,
        via="form",
        **entry_fields(decision_number="(2022)皖01执3号", starts_on=past, decision_date=past),
    )

    out = StringIO()
    call_command("record_expiring_events", "--days", "30", stdout=out)
    assert "2 expiry notices recorded" in out.getvalue()
    call_command("record_expiring_events", "--days", "30", stdout=StringIO())
    assert list_entries_expiring_record(days=30) == 0

    expiring = SubjectEvent.objects.filter(kind="expiring")
    assert sorted(expiring.values_list("record_id", flat=True)) == sorted([soon.pk, last_day.pk])
    notice = expiring.get(record_id=soon.pk)
    assert notice.person_id == soon.person_id
    assert notice.summary == f"{court_list().name_zh} {soon.decision_number} {soon.planned_end.isoformat()}"
    for entry in (later, ended, lapsed):
        assert "expiring" not in kinds(entry)


def test_expiring_window_follows_the_days_argument():
    entry = list_entry_create(
        actor=SYSTEM, via="form", **entry_fields(planned_end=TODAY + dt.timedelta(days=400))
    )
    assert list_entries_expiring_record(days=30) == 0
    assert list_entries_expiring_record(days=400) == 1
    assert kinds(entry) == ["published", "expiring"]


def test_expiring_notices_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    for n in range(20):
        list_entry_create(
            actor=SYSTEM,
            via="form",
            **entry_fields(decision_number=f"(2024)皖01执{n}号", planned_end=TODAY + dt.timedelta(days=400)),
        )
    with django_assert_max_num_queries(8):
        assert list_entries_expiring_record(days=400) == 20
