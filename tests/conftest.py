"""Project-wide test rules, and the clock every test runs at."""

import datetime as dt
import os

import pytest
import time_machine

# Every test runs at a fixed instant, so no test passes or fails by the day it runs; the clock
# ticks from there. TEST_CLOCK (ISO 8601 with an offset) chooses another instant: `make test`
# also runs the suite on a Shanghai Saturday and late on 31 December (see docs/testing.md).
DEFAULT_CLOCK = "2026-11-18T10:00:00+08:00"  # a Wednesday


def test_clock() -> dt.datetime:
    value = os.environ.get("TEST_CLOCK", "").strip() or DEFAULT_CLOCK
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK needs a UTC offset (like +08:00): {value!r}")
    return instant


_traveller = None


def pytest_configure(config):
    _use_sql_snapshots()
    # Started before collection, so dates computed at import time (module constants) agree too.
    global _traveller
    _traveller = time_machine.travel(test_clock(), tick=True)
    _traveller.start()


@pytest.fixture
def frozen_clock():
    """The clock stopped at the current instant, for a test that must not cross a minute's end (a
    per-minute rate limit counts requests in the minute they arrive)."""
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as traveller:
        yield traveller


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()


def pytest_collection_modifyitems(config, items):
    # A transactional test empties the database when it ends; without serialized_rollback the
    # data migrations' rows (regions, agencies, lists) are gone for every test that follows.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True) so the "
                "data migrations' rows survive for the tests that follow."
            )


# --- serialized rollback by SQL ---------------------------------------------------------------------
# A transactional test (the browser tests, a few others) empties the database when it ends, and
# Django's serialized rollback then reloads the migrations' rows (divisions to county level,
# agencies, lists, the calendar: tens of thousands) one ORM save at a time, seconds per test. The
# same contract kept with SQL: a copy of every table that holds rows, taken once after the
# migrations, put back in one transaction (foreign keys are deferred until it commits).
SNAPSHOT_SCHEMA = "test_snapshot"


def _snapshot_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'django_migrations' "
            "ORDER BY c.relname"
        )
        return [name for (name,) in cursor.fetchall()]


def _serialize_by_sql(self) -> str:
    connection = self.connection
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        kept = []
        for table in _snapshot_tables(connection):
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM public."{table}")')
            if cursor.fetchone()[0]:
                cursor.execute(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS TABLE public."{table}"')
                kept.append(table)
    return ",".join(kept)


def _deserialize_by_sql(self, data: str) -> None:
    from django.db import transaction

    connection = self.connection
    tables = [table for table in data.split(",") if table]
    everything = _snapshot_tables(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("TRUNCATE " + ", ".join(f'public."{table}"' for table in everything))
        for table in tables:
            # Generated columns (an instant disclosure's "late") are computed again, never written.
            cursor.execute(
                "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''",
                [f'public."{table}"'],
            )
            columns = cursor.fetchone()[0]
            cursor.execute(
                f'INSERT INTO public."{table}" ({columns}) SELECT {columns} FROM {SNAPSHOT_SCHEMA}."{table}"'
            )


def _use_sql_snapshots() -> None:
    from django.db.backends.postgresql.creation import DatabaseCreation

    DatabaseCreation.serialize_db_to_string = _serialize_by_sql
    DatabaseCreation.deserialize_db_from_string = _deserialize_by_sql
