import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.bulk import allocate_ids, copy_rows, copy_value, reference_triggers_skipped
from registry.models import Person, SubjectEvent
from tests.factories import PersonFactory


def test_copy_value_escapes_what_copy_text_format_needs():
    assert copy_value("a\tb\\c\nd\re") == "a\\tb\\\\c\\nd\\re"
    assert copy_value(None) == r"\N"
    assert (copy_value(True), copy_value(False)) == ("t", "f")
    assert copy_value(dt.date(2025, 1, 2)) == "2025-01-02"
    assert copy_value(Decimal("1.50")) == "1.50"
    assert copy_value({"名": "值"}) == '{"名": "值"}'


@pytest.mark.django_db
def test_copy_rows_round_trips_awkward_text():
    ids = allocate_ids("registry_agency", 2)
    assert len(set(ids)) == 2
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copy_check (a bigint, b text)")
    awkward = "tab\there\\back\nnew 中文 \\N"
    assert copy_rows("copy_check", ["a", "b"], [(1, awkward), (2, None)]) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT a, b FROM copy_check ORDER BY a")
        assert cursor.fetchall() == [(1, awkward), (2, None)]


def test_copy_value_writes_text_arrays_with_every_element_quoted():
    assert copy_value(["a", 'q"uote', "back\\slash", None, "NULL"]) == (
        '{"a","q\\\\"uote","back\\\\\\\\slash",NULL,"NULL"}'
    )


@pytest.mark.django_db
def test_copy_rows_round_trips_text_arrays():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE array_check (a bigint, b text[])")
    values = ["皖1122", 'q"uote', "back\\slash", "NULL", "tab\there", ""]
    copy_rows("array_check", ["a", "b"], [(1, values)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT b FROM array_check")
        assert cursor.fetchone()[0] == values


def _event_row(person_id: int) -> tuple:
    return (None, person_id, "published", "list_entry", 1, timezone.now(), "x")


EVENT_COLUMNS = ["enterprise_id", "person_id", "kind", "record_type", "record_id", "occurred_at", "summary"]
EVENT_TABLE = SubjectEvent._meta.db_table


def _role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_bulk_write_without_triggers_checks_every_key_itself():
    person = PersonFactory()
    with transaction.atomic():
        with reference_triggers_skipped([EVENT_TABLE]) as references:
            assert references is not None and _role() == "replica"
            copy_rows(EVENT_TABLE, EVENT_COLUMNS, [_event_row(person.pk)], references=references)
        assert _role() == "origin"  # the rest of the transaction is checked row by row again
    assert SubjectEvent.objects.filter(person=person).count() == 1

    missing = person.pk + 1000
    refused = pytest.raises(IntegrityError, match=f"point to no row of registry_person: {missing}")
    with refused, transaction.atomic(), reference_triggers_skipped([EVENT_TABLE]) as references:
        copy_rows(EVENT_TABLE, EVENT_COLUMNS, [_event_row(missing)], references=references)
    assert SubjectEvent.objects.count() == 1


@pytest.mark.django_db
def test_rows_created_by_the_same_bulk_write_need_no_lookup():
    with transaction.atomic(), reference_triggers_skipped([EVENT_TABLE]) as references:
        [pk] = allocate_ids(Person._meta.db_table, 1)
        references.created(Person._meta.db_table, [pk])
        copy_rows(EVENT_TABLE, EVENT_COLUMNS, [_event_row(pk)], references=references)
        hashed = "a" * 64
        copy_rows(
            Person._meta.db_table,
            ["id", "name", "id_hash", "id_masked", "sex", "birth_year", "created_at", "updated_at"],
            [(pk, "张三", hashed, "3401011990****1234", "M", 1990, timezone.now(), timezone.now())],
        )
    assert SubjectEvent.objects.get().person.name == "张三"


@pytest.mark.django_db
def test_a_table_with_its_own_trigger_keeps_every_trigger():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE FUNCTION pg_temp.noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_copy BEFORE INSERT ON {EVENT_TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION pg_temp.noop()"
            )
        with reference_triggers_skipped([EVENT_TABLE]) as references:
            assert references is None and _role() == "origin"
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_user_who_may_not_switch_triggers_off_keeps_them():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE ROLE bulk_check_plain NOSUPERUSER")
            cursor.execute("SET LOCAL ROLE bulk_check_plain")
        with reference_triggers_skipped([EVENT_TABLE]) as references:
            assert references is None and _role() == "origin"
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_allocated_ids_come_as_a_range_when_consecutive_and_as_a_list_when_not():
    first = allocate_ids("registry_agency", 3)
    assert isinstance(first, range) and len(first) == 3
    with connection.cursor() as cursor:  # as if another writer took every other key meanwhile
        cursor.execute("ALTER SEQUENCE registry_agency_id_seq INCREMENT BY 2")
    second = allocate_ids("registry_agency", 3)
    assert not isinstance(second, range)
    assert len(set(second)) == 3 and min(second) > first[-1]
    assert list(second) == list(range(second[0], second[0] + 6, 2))
