"""A USCC with a wrong check character typed in the enterprise search box is explained."""

import pytest
from django.core.cache import cache
from django.utils import translation

from registry.services.search import enterprise_search_document_refresh
from tests.factories import EnterpriseFactory, make_uscc, with_wrong_check_char

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    # A request in Chinese leaves Chinese active in this thread: later tests expect the default.
    with translation.override(translation.get_language()):
        yield


def enterprise(**fields):
    created = EnterpriseFactory(**fields)
    enterprise_search_document_refresh(enterprise=created)
    return created


def test_a_wrong_check_character_is_explained_on_the_search_page(client):
    company = enterprise()
    wrong = with_wrong_check_char(company.uscc)
    response = client.get("/search/", {"q": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert f"should be {company.uscc[17]}" in response.context["error"]
    assert response.context["page"] is None


def test_the_explanation_is_translated(client):
    company = enterprise()
    response = client.get(
        "/search/", {"q": with_wrong_check_char(company.uscc)}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "校验码" in response.context["error"]


def test_a_registered_legacy_code_is_still_found(client):
    company = enterprise(uscc=with_wrong_check_char(make_uscc()), uscc_legacy=True)
    response = client.get("/search/", {"q": company.uscc}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [row.uscc for row in response.context["rows"]] == [company.uscc]


def test_digits_in_the_enterprise_search_are_not_taken_for_part_of_an_id_number(client):
    response = client.get("/search/", {"q": "3418001998"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["error"] is None


def test_the_enterprise_api_explains_a_wrong_check_character(client):
    company = enterprise()
    wrong = with_wrong_check_char(company.uscc)
    response = client.get(f"/api/v1/enterprises/{wrong}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert f"should be {company.uscc[17]}" in str(response.json())
    unknown = client.get(f"/api/v1/enterprises/{make_uscc()}/", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 404
    assert "No enterprise is registered" in str(unknown.json())
