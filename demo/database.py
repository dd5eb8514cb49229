"""Database side of a run: emptying, id ranges, COPY, sequences and statistics."""

from __future__ import annotations

from django.db import connection, transaction

from core.bulk import user_trigger_count
from opendata.feed.triggers import FUNCTION as FEED_TRIGGER_FUNCTION

from .rows import TABLES, copy_sql


def table(key: str) -> str:
    return TABLES[key][0]._meta.db_table


def truncate_all() -> list[str]:
    """Empty persons, enterprises and their records; returns the cascade notices.

    CASCADE because other apps (lists, scores) point at enterprises and persons and would be left
    dangling; regions, agencies and the audit trail are not touched."""
    notices: list[str] = []
    with connection.cursor() as cursor:
        raw = cursor.connection

        def handler(diag):
            notices.append(diag.message_primary or "")

        raw.add_notice_handler(handler)
        try:
            names = ", ".join(table(key) for key in TABLES)
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            raw.remove_notice_handler(handler)
    return [notice for notice in notices if notice]


def next_ids() -> dict[str, int]:
    """First free id per table: one past the current maximum (not the sequence, which may have
    run ahead), so appended rows and codes derived from ids stay clear of existing ones."""
    ids = {}
    with connection.cursor() as cursor:
        for key in TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table(key)}")  # noqa: S608 - table and column names from model metadata
            ids[key] = cursor.fetchone()[0]
    return ids


def copy_rows(key: str, data: str) -> None:
    if not data:
        return
    with connection.cursor() as cursor, cursor.copy(copy_sql(key)) as copy:
        copy.write(data)


def in_transaction(work, *, skip_triggers: bool = False):
    """Run ``work`` in one transaction that does not wait for the WAL flush at commit (a crash
    can lose the last chunks, which a re-run with --replace restores). With ``skip_triggers``
    the deferred foreign-key triggers are not queued per row, which roughly halves the cost of
    writing records; ``verify_references`` then checks the new rows in bulk instead."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")
            if skip_triggers:
                cursor.execute("SET LOCAL session_replication_role = replica")
        return work()


def can_skip_triggers() -> bool:
    """Only a superuser may switch triggers off, and only foreign-key triggers may be skipped:
    a trigger someone adds later to maintain data must keep firing. The change feed's triggers
    are the one exception: demo data is loaded in bulk like a first import, and open-data clients
    start from a snapshot taken after it (docs/open-data-feed.md), so the load writes no events."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
    tables = [table(key) for key in TABLES]
    return superuser and user_trigger_count(tables, except_functions=[FEED_TRIGGER_FUNCTION]) == 0


def verify_references(first_ids: dict[str, int]) -> list[str]:
    """Every foreign key of the rows written from ``first_ids`` on that points nowhere."""
    problems = []
    with connection.cursor() as cursor:
        for key, (model, _) in TABLES.items():
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                target = field.related_model._meta
                name = table(key)
                cursor.execute(
                    f"SELECT count(*) FROM {name} c WHERE c.id >= %s AND c.{field.column} IS NOT NULL "  # noqa: S608 - table and column names from model metadata
                    f"AND NOT EXISTS (SELECT 1 FROM {target.db_table} p "
                    f"WHERE p.{target.pk.column} = c.{field.column})",
                    [first_ids[key]],
                )
                broken = cursor.fetchone()[0]
                if broken:
                    problems.append(f"{name}.{field.column}: {broken} rows point nowhere")
    return problems


def reset_sequences(keys) -> None:
    with connection.cursor() as cursor:
        for key in keys:
            name = table(key)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1), "  # noqa: S608 - table and column names from model metadata
                f"MAX(id) IS NOT NULL) FROM {name}"
            )


def analyze(keys) -> None:
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute(f"ANALYZE {table(key)}")


def enterprises_exist() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table('enterprise')})")  # noqa: S608 - table and column names from model metadata
        return cursor.fetchone()[0]
