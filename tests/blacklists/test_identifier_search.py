"""Identifiers typed in the defaulter search: masked forms, partial numbers, wrong check characters."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from registry.models import Person
from registry.services import person_create
from registry.services.audit import SYSTEM
from tests.blacklists.test_search_pages import court, defaulter
from tests.factories import make_resident_id, make_uscc, with_wrong_check_char

pytestmark = pytest.mark.django_db
API = "/api/v1/defaulters/"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    # A request in Chinese leaves Chinese active in this thread: later tests expect the default.
    with translation.override(translation.get_language()):
        yield


def person(name, *, serial, birth="19980101", region="341800"):
    number = make_resident_id(region=region, birth=birth, serial=serial)
    return person_create(actor=SYSTEM, via="form", name=name, id_number=number), number


def api_ids(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def api_error(client, **params):
    """The API's explanation of a search that ran and found nothing: 200, no results, a notice."""
    response = client.get(API, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"] == [] and body["count"] == 0
    return body["notice"]


def page_error(client, **params):
    response = client.get("/defaulters/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    return response.context["error"]


def masked_pair():
    """Two persons whose numbers share the published masked form, and a third who does not."""
    zhang, _number = person("张三", serial=280)
    li, _ = person("李四", serial=281)
    # A second number with the same first ten and last four characters (synthetic).
    Person.objects.filter(pk=li.pk).update(id_masked=zhang.id_masked)
    other, _ = person("王五", serial=282)
    return zhang, li, other


# --- masked form -----------------------------------------------------------------------------------


def test_a_masked_id_finds_the_entries_with_that_masked_form_alone_or_with_a_name(client):
    zhang, li, other = masked_pair()
    a = defaulter(person=zhang, case="(2024)皖0104执11号")
    b = defaulter(person=li, case="(2024)皖0104执12号")
    defaulter(person=other, case="(2024)皖0104执13号")
    masked = zhang.id_masked
    assert "****" in masked
    assert set(api_ids(client, q=masked)) == {a.pk, b.pk}
    assert api_ids(client, q=f"{masked} 张三") == [a.pk]
    assert api_ids(client, q=f"李四 {masked}") == [b.pk]
    assert api_ids(client, q=f"{masked} 赵六") == []
    # Full-width stars and a lower-case x are the same form.
    assert set(api_ids(client, q=masked.replace("*", "＊"))) == {a.pk, b.pk}
    page = client.get("/defaulters/", {"q": f"{masked} 张三"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [entry.pk for entry in page.context["page"].entries] == [a.pk]
    assert "(2024)皖0104执11号" in page.content.decode()


def test_the_masked_search_keeps_the_list_and_court_filters(client):
    zhang, _li, _other = masked_pair()
    hefei = court("合肥市中级人民法院")
    a = defaulter(person=zhang, case="(2024)皖01执21号", issuing=hefei)
    b = defaulter(person=zhang, case="(2024)皖0104执22号", list_code="consumption-restriction")
    assert api_ids(client, q=zhang.id_masked) == [a.pk]
    assert api_ids(client, q=zhang.id_masked, list="consumption-restriction") == [b.pk]
    assert api_ids(client, q=zhang.id_masked, list="all", court=hefei.pk) == [a.pk]


def test_the_masked_search_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    zhang, li, _other = masked_pair()
    for number in range(5):
        defaulter(person=zhang if number % 2 else li, case=f"(2024)皖0104执3{number}号")
    with django_assert_max_num_queries(2):
        assert len(api_ids(client, q=zhang.id_masked)) == 5


def test_the_masked_form_has_an_exact_btree_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [Person._meta.db_table, "person_id_masked_idx"],
        )
        (definition,) = cursor.fetchone()
    assert "USING btree (id_masked)" in definition


def test_the_masked_search_is_answered_through_that_index(client):
    zhang, _li, _other = masked_pair()
    defaulter(person=zhang, case="(2024)皖0104执41号")
    with CaptureQueriesContext(connection) as queries:
        api_ids(client, q=zhang.id_masked)
    [statement] = [query["sql"] for query in queries.captured_queries if "id_masked" in query["sql"]]
    # The statement compares the masked form for equality (not LIKE, which a B-tree cannot answer
    # here), and that comparison is one the index answers: with sequential scans priced out, the
    # plan of the persons' side reads the index. On a table this small the planner may start the
    # whole statement from the entries instead, so the join's own plan proves nothing either way.
    assert f"\"id_masked\" = '{zhang.id_masked}'" in statement
    assert "LIKE" not in statement.split("id_masked", 1)[1].split("AND", 1)[0]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM {Person._meta.db_table} WHERE id_masked = %s", [zhang.id_masked]
        )
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert "person_id_masked_idx" in plan


# --- partial numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, needed",
    [
        ("3418001998", "full 18-character ID number"),
        ("34180019980101280", "full 18-character ID number"),
        ("3418001998***2800", "XXXXXXXXXX****XXXX"),
        ("3418001998*****2800 张三", "XXXXXXXXXX****XXXX"),
        ("341800****2800", "XXXXXXXXXX****XXXX"),
    ],
)
def test_a_partial_id_says_what_is_needed(client, query, needed):
    assert needed in api_error(client, q=query)
    assert needed in page_error(client, q=query)


# --- wrong check characters ------------------------------------------------------------------------


def test_an_id_number_with_a_wrong_check_character_is_explained(client):
    _zhang, number = person("张三", serial=290)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    expected = f"should be {number[17]}"
    assert expected in api_error(client, q=wrong)
    assert expected in page_error(client, q=wrong)
    # The right number still finds the person's entry.
    entry = defaulter(person=Person.objects.get(name="张三"), case="(2024)皖0104执41号")
    assert api_ids(client, q=number) == [entry.pk]


def test_a_uscc_with_a_wrong_check_character_is_explained_in_the_defaulter_search(client):
    code = make_uscc(region="340100")
    wrong = with_wrong_check_char(code)
    assert f"should be {code[17]}" in api_error(client, q=wrong)


def test_the_answers_are_translated(client):
    _zhang, number = person("张三", serial=291)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    for query, text in (
        ("3418001998", "身份证号码的一部分"),
        ("3418001998***2800", "按公布的格式"),
        (wrong, f"应为 {number[17]}"),
    ):
        response = client.get("/defaulters/", {"q": query}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert text in response.context["error"], query
        body = client.get(API, {"q": query}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
        assert text in body["notice"], query
