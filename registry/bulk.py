"""PostgreSQL COPY for bulk writes that must stay fast (imports of hundreds of thousands of rows)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable, Sequence

from django.db import connection


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
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[object]], *, chunk: int = 5000
) -> int:
    """COPY ``rows`` into ``table`` on Django's connection, inside the caller's transaction."""
    count = 0
    column_list = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
            buffer: list[str] = []
            for row in rows:
                buffer.append("\t".join(copy_value(value) for value in row))
                count += 1
                if len(buffer) >= chunk:
                    copy.write("\n".join(buffer) + "\n")
                    buffer.clear()
            if buffer:
                copy.write("\n".join(buffer) + "\n")
    return count


def allocate_ids(table: str, count: int) -> list[int]:
    """Reserve ``count`` primary keys from the table's own sequence, so COPY rows never collide."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]
