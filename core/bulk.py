"""PostgreSQL COPY for bulk writes that must stay fast (imports of hundreds of thousands of rows).

A bulk write may also skip the per-row foreign-key triggers (:func:`reference_triggers_skipped`):
PostgreSQL then checks nothing row by row, and :class:`References` checks every key the written
rows hold in one statement per referenced table instead, inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.db import DatabaseError, IntegrityError, connection, transaction


def copy_value(value: object) -> str:
    """One field in COPY text format."""
    kind = type(value)
    if kind is str:  # the common case first: most fields need no escaping
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if kind is int:
        return str(value)
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | int | float):
        return str(value)
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    elif isinstance(value, list | tuple):  # a text[] literal, every element quoted
        value = "{" + ",".join(_array_element(item) for item in value) + "}"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _array_element(item: object) -> str:
    if item is None:
        return "NULL"
    return '"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"'


@cache
def _foreign_keys(table: str) -> dict[str, tuple[str, str]]:
    """Column -> (referenced table, its key column), for the model stored in ``table``."""
    for model in apps.get_models():
        if model._meta.db_table == table:
            return {
                field.column: (field.related_model._meta.db_table, field.target_field.column)
                for field in model._meta.concrete_fields
                if field.is_relation and field.db_constraint
            }
    return {}


class References:
    """The foreign-key values of rows written in bulk, checked together before commit.

    ``created`` rows were written by the same bulk write and need no lock (no other transaction
    sees them yet); every other referenced row is locked ``FOR KEY SHARE`` (as PostgreSQL's own
    row-by-row check would), so it cannot be deleted before this transaction commits.
    """

    def __init__(self) -> None:
        # (table, key column) -> values
        self._wanted: dict[tuple[str, str], set] = defaultdict(set)
        self._created: dict[tuple[str, str], set] = defaultdict(set)

    def created(self, table: str, ids: Iterable[object], *, column: str = "id") -> None:
        self._created[(table, column)].update(ids)

    def merge(self, other: References) -> None:
        for table, values in other._wanted.items():
            self._wanted[table] |= values
        for table, values in other._created.items():
            self._created[table] |= values

    def collector(self, table: str, columns: Sequence[str]) -> list[tuple[int, set]]:
        """(column index, value set) for each foreign-key column of ``table`` among ``columns``."""
        keys = _foreign_keys(table)
        return [(index, self._wanted[keys[column]]) for index, column in enumerate(columns) if column in keys]

    def verify(self) -> None:
        """Raise IntegrityError naming the first table any written row points nowhere in."""
        with connection.cursor() as cursor:
            for (table, column), wanted in self._wanted.items():
                outside = wanted - self._created[(table, column)] - {None}
                if not outside:
                    continue
                cursor.execute(
                    f'SELECT "{column}" FROM "{table}" WHERE "{column}" = ANY(%s) FOR KEY SHARE',  # noqa: S608 - table and column from model metadata (quoted); values are parameters
                    [list(outside)],
                )
                missing = outside - {row[0] for row in cursor.fetchall()}
                if missing:
                    sample = ", ".join(map(str, sorted(missing, key=str)[:5]))
                    raise IntegrityError(
                        f"{len(missing)} key(s) written in bulk point to no row of {table}: {sample}"
                    )


def format_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], references: References | None = None
) -> Iterator[str]:
    """Each row as one line of COPY text (with its newline); foreign keys go to ``references``."""
    collect = references.collector(table, columns) if references is not None else []
    for row in rows:
        for index, values in collect:
            values.add(row[index])
        yield "\t".join([copy_value(value) for value in row]) + "\n"


def copy_text(table: str, columns: Sequence[str], text: str) -> None:
    """COPY lines made by :func:`format_rows` into ``table``, inside the caller's transaction."""
    if not text:
        return
    with connection.cursor() as cursor, cursor.cursor.copy(_copy_sql(table, columns)) as copy:
        copy.write(text)


def _copy_sql(table: str, columns: Sequence[str]) -> str:
    column_list = ", ".join(f'"{column}"' for column in columns)
    return f'COPY "{table}" ({column_list}) FROM STDIN'


def copy_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    chunk: int = 5000,
    references: References | None = None,
) -> int:
    """COPY ``rows`` into ``table`` on Django's connection, inside the caller's transaction."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(_copy_sql(table, columns)) as copy:
            buffer: list[str] = []
            for line in format_rows(table, columns, rows, references):
                buffer.append(line)
                count += 1
                if len(buffer) >= chunk:
                    copy.write("".join(buffer))
                    buffer.clear()
            if buffer:
                copy.write("".join(buffer))
    return count


def allocate_ids(table: str, count: int) -> list[int] | range:
    """Reserve ``count`` primary keys from the table's own sequence, so COPY rows never collide.

    Without concurrent writers the keys are consecutive and come back as a range (no need to
    fetch each one); otherwise as the list of keys the sequence handed out.
    """
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH ids AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS id "
            "FROM generate_series(1, %s)) "
            "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL "
            "ELSE array_agg(id ORDER BY id) END FROM ids",
            [table, count],
        )
        first, last, scattered = cursor.fetchone()
        return range(first, last + 1) if scattered is None else scattered


def user_trigger_count(tables: Sequence[str], *, except_functions: Sequence[str] = ()) -> int:
    """Triggers of ``tables`` other than PostgreSQL's own (foreign keys): those must always fire.

    ``except_functions`` leaves out the triggers calling these functions, for a caller that has
    decided they need not fire for its writes (the demo loader and the change feed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND t.tgrelid = ANY(%s::regclass[]) AND NOT p.proname = ANY(%s)",
            [list(tables), list(except_functions)],
        )
        return cursor.fetchone()[0]


@contextmanager
def reference_triggers_skipped(tables: Sequence[str]) -> Iterator[References | None]:
    """Inside a transaction: COPY into ``tables`` without PostgreSQL's per-row foreign-key checks.

    Yields a :class:`References` that the writes must fill (``copy_rows(..., references=…)`` and
    ``References.created``); it is verified before the block ends, and the triggers are back on
    for whatever the transaction does next. Yields None, and changes nothing, when the database
    user may not switch triggers off (``session_replication_role`` needs a superuser, or, from
    PostgreSQL 15, ``GRANT SET ON PARAMETER session_replication_role``) or when any of ``tables``
    has a trigger of its own, which must keep firing.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("reference_triggers_skipped() needs the caller's transaction")
    skipped = False
    if not user_trigger_count(tables):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            skipped = True
        except DatabaseError:  # not allowed: keep the row-by-row checks
            skipped = False
    if not skipped:
        yield None
        return
    references = References()
    # On an exception the transaction rolls back, and the setting with it.
    yield references
    references.verify()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
