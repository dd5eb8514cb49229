"""The search's statements of fixed text are prepared on the server once per connection
(``statement_cursor``), unless SEARCH_PREPARED_STATEMENTS is off; results are the same either way."""

import datetime as dt

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.privacy import resident_id_hash
from search.models import SearchDocument
from search.query import search, statement_cursor
from search.services import search_document_upsert
from tests.factories import make_resident_id, make_uscc

pytestmark = pytest.mark.django_db
LIST_ENTRY = SearchDocument.Kind.LIST_ENTRY


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time")
        return [statement for (statement,) in cursor.fetchall()]


def identifier_lookups() -> list[str]:
    return [statement for statement in prepared_statements() if "identifiers && $1" in statement]


@pytest.fixture
def documents():
    number, uscc = make_resident_id(region="340100", birth="19700101"), make_uscc()
    search_document_upsert(
        kind=LIST_ENTRY,
        object_id=1,
        name="张伟",
        identifiers=[resident_id_hash(number), "（2019）皖1122执1194号", "LIST-court-defaulters"],
        province="340000",
        published_on=dt.date(2024, 5, 1),
    )
    search_document_upsert(
        kind=LIST_ENTRY,
        object_id=2,
        name="合肥华信科技有限公司",
        identifiers=[uscc, "LIST-court-defaulters"],
        province="340000",
        published_on=dt.date(2024, 6, 1),
    )
    search_document_upsert(kind=LIST_ENTRY, object_id=3, name="张伟", published_on=dt.date(2024, 7, 1))
    return {"number": number, "uscc": uscc, "case": "(2019)皖1122执1194号"}


def lookups(documents) -> dict:
    """Every identifier lookup, with and without filters, as plain values."""
    results = {}
    for key, query in documents.items():
        for filters in (
            {},
            {"kinds": [LIST_ENTRY], "any_tags": ["LIST-court-defaulters"]},
            {"province": "340100"},
        ):
            page = search(query, **filters)
            results[key, tuple(filters)] = (
                [(hit.object_id, hit.match, hit.name, hit.published_on, hit.extra) for hit in page.results],
                page.total_estimate,
                page.has_next,
            )
    return results


def test_identifier_lookup_is_prepared_once_and_answers_as_without(documents, settings):
    assert prepared_statements() == []
    prepared = lookups(documents)
    statements = identifier_lookups()
    # One statement per combination of filters (three here), not one per query or per value.
    assert len(statements) == 3
    assert lookups(documents) == prepared
    assert identifier_lookups() == statements  # the second round reused them

    settings.SEARCH_PREPARED_STATEMENTS = False
    assert lookups(documents) == prepared
    assert prepared[("number", ())][0][0][:2] == (1, "identifier")
    assert prepared[("uscc", ("kinds", "any_tags"))][0][0][:2] == (2, "identifier")


def test_with_the_setting_off_nothing_is_prepared(documents, settings):
    settings.SEARCH_PREPARED_STATEMENTS = False
    assert [hit.object_id for hit in search(documents["number"]).results] == [1]
    assert [hit.object_id for hit in search(documents["uscc"]).results] == [2]
    assert prepared_statements() == []


def test_name_searches_are_not_prepared(documents):
    assert [hit.object_id for hit in search("张伟").results] == [3, 1]
    assert prepared_statements() == []


def test_integers_of_every_size_share_one_prepared_statement():
    with statement_cursor() as cursor:
        for value in (1, 40_000, 3_000_000_000):  # int2, int4 and int8 to psycopg
            cursor.execute("SELECT %s + 1", [value])
            assert cursor.fetchone() == (value + 1,)
    assert prepared_statements() == ["SELECT $1 + 1"]


def test_prepared_statements_are_logged_counted_and_raise_django_errors():
    with CaptureQueriesContext(connection) as captured, statement_cursor() as cursor:
        cursor.execute("SELECT %s::text", ["钱小红"])
        assert cursor.fetchone() == ("钱小红",)
    assert [query["sql"] for query in captured.captured_queries] == ["SELECT %s::text"]
    with pytest.raises(DataError), transaction.atomic(), statement_cursor() as cursor:
        cursor.execute("SELECT 1 / %s", [0])
    # The connection is still usable, and prepares again after the rollback discarded everything.
    with statement_cursor() as cursor:
        cursor.execute("SELECT %s * 2", [21])
        assert cursor.fetchone() == (42,)
    assert "SELECT $1 * 2" in prepared_statements()


def test_identifier_lookup_takes_one_statement(documents, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        assert [hit.object_id for hit in search(documents["case"]).results] == [1]
    assert "identifiers && %s::text[]" in captured.captured_queries[0]["sql"]


def test_django_own_statements_stay_unprepared():
    with statement_cursor() as cursor:
        cursor.execute("SELECT %s", [1])
    for _ in range(10):  # psycopg's default would prepare a statement on its fifth execution
        list(SearchDocument.objects.filter(object_id=5))
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", [1])
    assert prepared_statements() == ["SELECT $1"]
