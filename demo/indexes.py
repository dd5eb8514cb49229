"""Building secondary indexes after a bulk load instead of row by row.

Inserting ten million random hashes into a unique B-tree costs far more than sorting them once:
loading into empty tables without their secondary indexes and rebuilding them afterwards is about
three times faster. The statements that rebuild them are kept in the table's comment while the
load runs, so even a killed run is repaired by the next one (``restore_indexes`` runs first)."""

from __future__ import annotations

import json

from django.db import connection, transaction
from psycopg import sql

from .database import table
from .rows import TABLES

MARKER = "generate_demo_data deferred these indexes; the next run rebuilds them: "

_SECONDARY = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid)
    FROM pg_index i
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u'
    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
    ORDER BY 1
"""


def _execute(cursor, statement) -> None:
    cursor.execute(
        statement.as_string(cursor.connection) if isinstance(statement, sql.Composable) else statement
    )


def defer_indexes() -> int:
    """Drop every secondary index and unique constraint of the generated tables (primary keys
    and anything a foreign key relies on stay); returns how many were dropped."""
    dropped = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for key in TABLES:
            name = table(key)
            cursor.execute(_SECONDARY, [name])
            rows = cursor.fetchall()
            if not rows:
                continue
            rebuild = [
                {"index": index, "constraint": constraint, "sql": constraint_sql or index_sql}
                for index, index_sql, constraint, constraint_sql in rows
            ]
            comment = MARKER + json.dumps(rebuild, ensure_ascii=False)
            _execute(cursor, sql.SQL("COMMENT ON TABLE {} IS {}").format(sql.Identifier(name), comment))
            for item in rebuild:
                if item["constraint"]:
                    drop = sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                        sql.Identifier(name), sql.Identifier(item["constraint"])
                    )
                else:
                    drop = sql.SQL("DROP INDEX {}").format(sql.Identifier(item["index"]))
                _execute(cursor, drop)
                dropped += 1
    return dropped


def restore_indexes() -> int:
    """Rebuild whatever ``defer_indexes`` dropped, here or in an earlier, interrupted run."""
    restored = 0
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem TO '512MB'")
        for key in TABLES:
            name = table(key)
            cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [name])
            comment = cursor.fetchone()[0] or ""
            if not comment.startswith(MARKER):
                continue
            with transaction.atomic():
                for item in json.loads(comment[len(MARKER) :]):
                    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [item["index"]])
                    if cursor.fetchone()[0]:
                        continue
                    if item["constraint"]:
                        statement = sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                            sql.Identifier(name), sql.Identifier(item["constraint"])
                        ) + sql.SQL(item["sql"])
                    else:
                        statement = item["sql"]
                    _execute(cursor, statement)
                    restored += 1
                _execute(cursor, sql.SQL("COMMENT ON TABLE {} IS NULL").format(sql.Identifier(name)))
        cursor.execute("RESET maintenance_work_mem")
    return restored
