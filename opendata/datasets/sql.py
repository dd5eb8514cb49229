"""The same projection as :meth:`Dataset.publish`, written as SQL for the bulk export.

The export formats millions of rows; PostgreSQL does it in C, next to the data, and streams CSV
and JSON Lines through COPY, so Python only compresses bytes. Each transform has its SQL twin
here, and ``tests/opendata/test_export.py`` checks, for every dataset, that the exported records
equal ``publish(row)`` of the same rows: the feed (which projects in Python) and the snapshot
agree.
"""

from __future__ import annotations

from django.db import connection

from .base import Dataset
from .transforms import (
    BatchLookup,
    ReferenceLookup,
    boolean,
    integer,
    iso_date,
    iso_timestamp,
    json_object,
    money,
    string_list,
    text,
)

# transform -> (SQL for the JSON value, SQL for the CSV cell), ``{x}`` standing for the column.
_SQL = {
    text: ("coalesce(({x})::text, '')", "coalesce(({x})::text, '')"),
    str: ("({x})::text", "({x})::text"),
    integer: ("({x})::bigint", "({x})::text"),
    boolean: ("({x})::boolean", "CASE WHEN {x} THEN 'true' WHEN NOT {x} THEN 'false' END"),
    iso_date: ("to_char({x}, 'YYYY-MM-DD')", "to_char({x}, 'YYYY-MM-DD')"),
    iso_timestamp: (
        "to_char(({x}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')",
        "to_char(({x}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')",
    ),
    money: ("(round({x}, 2))::text", "(round({x}, 2))::text"),
    string_list: ("to_jsonb(coalesce({x}, '{{}}'))", "to_jsonb(coalesce({x}, '{{}}'))::text"),
    json_object: ("coalesce({x}, '{{}}'::jsonb)", "coalesce({x}, '{{}}'::jsonb)::text"),
}


class UnsupportedTransform(TypeError):
    pass


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def select_parts(each: Dataset) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(column name, JSON expression, CSV expression) per column, and the joins they need."""
    joins: dict[tuple[type, str], str] = {}
    expressions = []
    for column in each.columns:
        source = f"t.{_quote(column.source_field)}"
        transform = column.transform
        if isinstance(transform, (ReferenceLookup, BatchLookup)):
            model = transform.model
            key = (model, column.source_field)
            alias = joins.setdefault(key, f"j{len(joins)}")
            value = (
                f"coalesce(({alias}.{_quote(model._meta.get_field(transform.field_name).column)})::text, '')"
            )
            expressions.append((column.name, value, value))
            continue
        try:
            json_sql, csv_sql = _SQL[transform]
        except (KeyError, TypeError):
            raise UnsupportedTransform(f"{each.name}.{column.name}: no SQL form of {transform!r}") from None
        expressions.append((column.name, json_sql.format(x=source), csv_sql.format(x=source)))
    join_sql = []
    for (model, source_field), alias in joins.items():
        table, pk = _quote(model._meta.db_table), _quote(model._meta.pk.column)
        join_sql.append(f"LEFT JOIN {table} {alias} ON {alias}.{pk} = t.{_quote(source_field)}")
    return expressions, join_sql


def _from(each: Dataset, joins: list[str]) -> str:
    return f"FROM {_quote(each.table)} t {' '.join(joins)} WHERE {each.public_sql} ORDER BY {each.order_by}"


def csv_copy_sql(each: Dataset) -> str:
    """COPY of the dataset as CSV with a header row (empty cells for missing values)."""
    expressions, joins = select_parts(each)
    select = ", ".join(f"{csv_sql} AS {_quote(name)}" for name, _, csv_sql in expressions)
    return f"COPY (SELECT {select} {_from(each, joins)}) TO STDOUT WITH (FORMAT csv, HEADER true)"


def jsonl_copy_sql(each: Dataset) -> str:
    """COPY of the dataset as JSON Lines: one JSON object per line, in column order.

    CSV format with a delimiter and quote character that JSON text never contains raw (JSON
    escapes every control character) writes each object as it is, without COPY's text escaping.
    """
    expressions, joins = select_parts(each)
    pairs = ", ".join(f"'{name}', {json_sql}" for name, json_sql, _ in expressions)
    return (
        f"COPY (SELECT json_build_object({pairs})::text {_from(each, joins)}) "
        "TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')"
    )
