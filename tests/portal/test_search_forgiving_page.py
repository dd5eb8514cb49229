"""The enterprise search page forgives: city + trade name with a space, characters in order with
gaps, and a link to the same query without a term when nothing matches."""

import pytest
from django.core.cache import cache

from registry.services.search import enterprise_search_document_refresh
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
SHUIBO = "天津市城东新区水博酒店管理商行"


@pytest.fixture(autouse=True)
def _no_rate_limit_carry_over():
    cache.clear()
    yield
    cache.clear()


def enterprise(**fields):
    created = EnterpriseFactory(**fields)
    enterprise_search_document_refresh(enterprise=created)
    return created


def get(client, language="en", **params):
    return client.get("/search/", params, HTTP_ACCEPT_LANGUAGE=language)


def names(response):
    return [row.name for row in response.context["rows"]]


@pytest.mark.parametrize("query", ["天津 水博", "天津水博", "城东新区酒店", "水博 天津"])
def test_city_and_trade_name_find_the_company(client, query):
    enterprise(name=SHUIBO, region_id="120100")
    enterprise(name="合肥华信科技有限公司")
    response = get(client, q=query)
    assert response.status_code == 200
    assert names(response) == [SHUIBO]


def test_no_results_link_to_the_query_without_a_term(client):
    enterprise(name=SHUIBO, region_id="120100")
    response = get(client, q="天津 水博 宾馆", status="in_operation")
    assert response.status_code == 200
    assert names(response) == []
    assert response.context["suggestion"].query == "天津 水博"
    content = response.content.decode()
    assert "No results for “天津 水博 宾馆”. Try:" in content
    # The link keeps the filters and changes only the query.
    assert (
        'href="?q=%E5%A4%A9%E6%B4%A5+%E6%B0%B4%E5%8D%9A&amp;status=in_operation">天津 水博</a> (without 宾馆)'
        in content
    )
    assert "No enterprise matches" not in content
    followed = client.get("/search/", {"q": "天津 水博", "status": "in_operation"}, HTTP_ACCEPT_LANGUAGE="en")
    assert names(followed) == [SHUIBO]


def test_no_suggestion_when_no_shorter_query_finds_anything(client):
    enterprise(name=SHUIBO, region_id="120100")
    response = get(client, q="上海 宾馆")
    assert response.context["suggestion"] is None
    assert "No enterprise matches" in response.content.decode()


def test_the_suggestion_is_escaped(client):
    enterprise(name=SHUIBO, region_id="120100")
    response = get(client, q="水博 <b>宾馆</b>")
    content = response.content.decode()
    assert "<b>宾馆</b>" not in content
    assert "&lt;b&gt;宾馆&lt;/b&gt;" in content


def test_a_page_with_a_suggestion_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    enterprise(name=SHUIBO, region_id="120100")
    # Province list, the search (2 statements), then at most 2 per shorter query (3 terms).
    with django_assert_max_num_queries(1 + 2 + 3 * 2 + 2):
        response = get(client, q="天津 水博 宾馆")
    assert response.context["suggestion"].dropped == "宾馆"
