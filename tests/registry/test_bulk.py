import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from registry.bulk import allocate_ids, copy_rows, copy_value


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
