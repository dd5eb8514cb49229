"""The enterprise search's "listed on" filter, and badges that name and link their list."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from blacklists.selectors import LISTED_ON_MAX, enterprise_search_listed_on, listed_enterprise_keys
from blacklists.services import list_entry_remove
from registry.services.audit import SYSTEM
from tests.factories import AbnormalListingFactory, AgencyFactory
from tests.portal.test_search_unified import enterprise, listed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    with translation.override(translation.get_language()):
        yield
    cache.clear()


def get(client, language="en", **params):
    return client.get("/search/", params, HTTP_ACCEPT_LANGUAGE=language)


def names(response):
    return sorted(row.name for row in response.context["rows"])


@pytest.fixture
def companies():
    taxed = enterprise(name="合肥华信科技有限公司")
    customs = enterprise(name="南京华信贸易有限公司")
    abnormal = enterprise(name="芜湖华信物流有限公司")
    enterprise(name="安庆华信建材有限公司")
    listed("sta-major-tax-violations", enterprise=taxed)
    listed("gac-dishonest", enterprise=customs)
    AbnormalListingFactory(enterprise=abnormal)
    removed = enterprise(name="宣城华信食品有限公司")
    entry = listed("sta-major-tax-violations", enterprise=removed, number="(2025)第2号")
    list_entry_remove(entry=entry, reason="已履行", actor=SYSTEM, via="command")
    agency = AgencyFactory()
    AbnormalListingFactory(
        enterprise=removed,
        source_agency=agency,
        removed_on=timezone.localdate() - dt.timedelta(days=3),
        removal_reason="report_filed",
        removal_agency=agency,
    )
    return {"taxed": taxed, "customs": customs, "abnormal": abnormal, "removed": removed}


def test_listed_on_keeps_only_enterprises_with_an_entry_in_force_on_that_list(client, companies):
    assert len(names(get(client, q="华信"))) == 5
    assert names(get(client, q="华信", listed_on="sta-major-tax-violations")) == ["合肥华信科技有限公司"]
    assert names(get(client, q="华信", listed_on="gac-dishonest")) == ["南京华信贸易有限公司"]
    assert names(get(client, q="华信", listed_on="abnormal-operations")) == ["芜湖华信物流有限公司"]
    assert names(get(client, q="华信", listed_on="caac-no-fly")) == []


def test_listed_on_combines_with_identifiers_and_other_filters(client, companies):
    taxed = companies["taxed"]
    assert names(get(client, q=taxed.uscc, listed_on="sta-major-tax-violations")) == ["合肥华信科技有限公司"]
    assert names(get(client, q=taxed.uscc, listed_on="gac-dishonest")) == []
    assert names(get(client, q="华信", listed_on="sta-major-tax-violations", status="revoked")) == []


def test_an_unknown_list_is_a_bad_request(client, companies):
    response = get(client, q="华信", listed_on="no-such-list")
    assert response.status_code == 400
    assert "On the list: there is no public list called no-such-list." in response.context["error"]


def test_the_filter_offers_every_public_list_by_name_grouped_by_kind(client):
    english = get(client).content.decode()
    assert '<select name="listed_on" id="id_listed_on"' in english
    assert '<optgroup label="Blacklists">' in english and '<optgroup label="Redlists">' in english
    assert '<option value="sta-major-tax-violations">Parties to major tax violation cases</option>' in english
    assert (
        '<option value="abnormal-operations">Directory of enterprises with abnormal operations</option>'
        in english
    )
    assert "重大税收违法失信主体名单" not in english
    chinese = get(client, language="zh-hans").content.decode()
    assert '<option value="sta-major-tax-violations">重大税收违法失信主体名单</option>' in chinese
    assert '<option value="abnormal-operations">经营异常名录</option>' in chinese


def test_the_chosen_list_stays_selected(client, companies):
    content = get(client, q="华信", listed_on="gac-dishonest").content.decode()
    assert '<option value="gac-dishonest" selected>' in content


def test_the_filter_takes_the_enterprises_by_uscc(companies):
    assert listed_enterprise_keys(slug="sta-major-tax-violations") == [companies["taxed"].uscc]
    assert listed_enterprise_keys(slug="abnormal-operations") == [companies["abnormal"].uscc]
    assert listed_enterprise_keys(slug="caac-no-fly") == []


def test_a_list_with_too_many_enterprises_is_sent_to_its_own_page(client, companies, monkeypatch):
    monkeypatch.setattr("blacklists.selectors.listed.LISTED_ON_MAX", 0)
    assert listed_enterprise_keys(slug="gac-dishonest", limit=0) is None
    response = get(client, q="华信", listed_on="gac-dishonest")
    assert response.status_code == 200
    assert response.context["rows"] == []
    content = response.content.decode()
    assert "too many to combine with the enterprise search" in content
    assert 'href="/lists/gac-dishonest/"' in content


def test_a_list_without_enterprises_finds_nothing_without_searching():
    page = enterprise_search_listed_on(listed_on="caac-no-fly", q="华信")
    assert page.results == [] and page.total_estimate == 0


def test_the_filter_is_bounded_to_a_count_the_search_counts_exactly():
    from search.query import COUNT_CAP

    assert LISTED_ON_MAX <= COUNT_CAP


def test_listed_on_costs_one_query_more(client, companies, django_assert_max_num_queries):
    get(client, q="华信", listed_on="sta-major-tax-violations")
    cache.clear()
    # Provinces, lists, the list's enterprises, the search (two statements when it finds fewer than
    # a page of contiguous matches: then it also looks for the characters in order), two for the badges.
    with django_assert_max_num_queries(7):
        response = get(client, q="华信", listed_on="sta-major-tax-violations")
    assert names(response) == ["合肥华信科技有限公司"]


# --- badges ----------------------------------------------------------------------------------------


def test_badges_on_enterprise_results_name_the_list_and_link_to_it(client, companies):
    english = get(client, q="华信").content.decode()
    assert (
        '<a class="badge badge-blacklist" href="/lists/sta-major-tax-violations/">Parties to major tax '
        "violation cases</a>" in english
    )
    assert (
        '<a class="badge badge-abnormal" href="/lists/abnormal-operations/">Directory of enterprises with '
        "abnormal operations</a>" in english
    )
    chinese = get(client, language="zh-hans", q="华信").content.decode()
    link = '<a class="badge badge-blacklist" href="/lists/sta-major-tax-violations/">'
    assert link + "重大税收违法失信主体名单</a>" in chinese
    assert '<a class="badge badge-abnormal" href="/lists/abnormal-operations/">经营异常名录</a>' in chinese
