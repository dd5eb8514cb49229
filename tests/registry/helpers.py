"""Assertions shared by registry tests."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction


def text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND data_type IN ('character varying', 'text', 'jsonb', 'json', 'ARRAY', 'character')
            """
        )
        return cursor.fetchall()


def tables_containing(value: str) -> list[str]:
    """Every table.column whose text contains ``value`` anywhere."""
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE %s LIMIT 1', [f"%{value}%"])
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def assert_refused_both_ways(instance, *, message: str):
    """full_clean() raises with ``message``; saving without validation hits a DB constraint."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    assert message in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()
