"""The enterprise search through the API: the forgiving search of the public page, ranked."""

import datetime as dt

import pytest
from django.core.cache import cache

from registry.services.search import enterprise_search_document_refresh
from tests.factories import EnterpriseFactory, make_uscc, with_wrong_check_char

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/search/"


@pytest.fixture(autouse=True)
def _no_throttle_carry_over():
    cache.clear()


def enterprise(**fields):
    created = EnterpriseFactory(**fields)
    enterprise_search_document_refresh(enterprise=created)
    return created


def search(client, **params):
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_city_and_trade_name_in_any_order_find_the_enterprise(client):
    hotel = enterprise(
        name="天津市城东新区水博酒店管理商行", legal_representative="李明", established=dt.date(2019, 5, 6)
    )
    enterprise(name="天津市和平区百货商店")
    for query in ("天津 水博", "天津水博", "水博 天津", "城东新区酒店"):
        response = search(client, q=query)
        assert response.status_code == 200, query
        assert names(response) == [hotel.name], query
    (row,) = search(client, q="天津 水博").json()["results"]
    assert row == {
        "uscc": hotel.uscc,
        "name": hotel.name,
        "status": hotel.status,
        "legal_representative": "李明",
        "established": "2019-05-06",
        "region": hotel.region_id,
        "match": "match",
    }


def test_results_come_in_rank_order_with_the_reason(client):
    enterprise(name="宜春图锦包装有限公司", established=dt.date(2024, 1, 1))
    enterprise(name="宜春包装有限公司", established=dt.date(2010, 1, 1))
    enterprise(name="宜春包装", established=dt.date(2001, 1, 1))
    body = search(client, q="宜春包装").json()
    assert [(row["name"], row["match"]) for row in body["results"]] == [
        ("宜春包装", "exact"),
        ("宜春包装有限公司", "prefix"),
        ("宜春图锦包装有限公司", "in_order"),
    ]
    assert body["count"] == 3 and body["next"] is None


def test_a_uscc_is_an_identifier_match(client):
    company = enterprise(name="合肥华信科技有限公司", uscc=make_uscc("340100", 41))
    (row,) = search(client, q=company.uscc).json()["results"]
    assert (row["uscc"], row["match"]) == (company.uscc, "identifier")


def test_a_wrong_check_character_is_explained(client):
    company = enterprise(name="合肥华信科技有限公司", uscc=make_uscc("340100", 42))
    response = search(client, q=with_wrong_check_char(company.uscc))
    # The search ran and found nothing; the notice says why (the schema documents it).
    assert response.status_code == 200
    assert response.json()["results"] == [] and "check character" in response.json()["notice"]


def test_pages_link_to_each_other(client):
    for number in range(3):
        enterprise(name=f"合肥华信科技有限公司{number}")
    first = search(client, q="华信", page_size=2).json()
    assert len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and "page=1" in second["previous"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "华"}, "q"),
        ({}, "q"),
        ({"q": "华信", "status": "nonsense"}, "status"),
        ({"q": "华信", "industry": "?"}, "industry"),
        ({"q": "华信", "province": "34"}, "province"),
        ({"q": "华信", "page": "x"}, "page"),
        ({"q": "华信", "page_size": "500"}, "page_size"),
        ({"q": "华信", "page": "999"}, "page"),
    ],
)
def test_bad_parameters_are_named(client, params, field):
    response = search(client, **params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_search_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for number in range(30):
        enterprise(name=f"合肥华信科技有限公司{number}")
    search(client, q="合肥 华信")
    cache.clear()
    with django_assert_max_num_queries(4):
        assert len(names(search(client, q="合肥 华信"))) == 20


def test_the_schema_documents_the_search(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    parameters = {
        item["name"] for item in schema["paths"]["/api/v1/enterprises/search/"]["get"]["parameters"]
    }
    assert {"q", "province", "status", "industry", "page", "page_size"} <= parameters
