import datetime as dt

import pytest
from django.core.cache import cache

from blacklists.models import ListType
from blacklists.selectors import badges_for_enterprises
from blacklists.services import list_entry_create
from registry.models import Agency
from registry.selectors import abnormal_listed_enterprise_ids
from registry.services.audit import SYSTEM
from registry.services.search import enterprise_search_document_refresh
from tests.factories import AbnormalListingFactory, AgencyFactory, EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _no_rate_limit_carry_over():
    cache.clear()
    yield
    cache.clear()


def enterprise(**fields):
    created = EnterpriseFactory(**fields)
    enterprise_search_document_refresh(enterprise=created)
    return created


def get(client, **params):
    return client.get("/search/", params, HTTP_ACCEPT_LANGUAGE="en")


def names(response):
    return [row.name for row in response.context["rows"]]


def list_entry(company, code, *, starts_on=None, number="(2025)第1号"):
    list_type = ListType.objects.get(code=code)
    starts_on = starts_on or TODAY - dt.timedelta(days=10)
    return list_entry_create(
        actor=SYSTEM,
        via="form",
        list_type=list_type,
        issuing_agency=list_type.owner,
        enterprise=company,
        decision_number=number,
        decision_date=starts_on,
        starts_on=starts_on,
        planned_end=starts_on + dt.timedelta(days=365),
    )


# --- finding enterprises ---------------------------------------------------------------------------


def test_search_by_name_shows_the_result_fields_and_links_to_the_profile(client):
    company = enterprise(
        name="合肥华信科技有限公司", legal_representative="王芳", established=dt.date(2018, 3, 9)
    )
    enterprise(name="南京明远贸易有限公司")
    response = get(client, q="华信")
    assert response.status_code == 200
    assert names(response) == ["合肥华信科技有限公司"]
    content = response.content.decode()
    assert f'href="/enterprises/{company.uscc}/"' in content
    assert company.uscc in content
    assert "王芳" in content
    assert "in operation" in content
    assert "9 Mar 2018" in content
    assert "1 result" in content


def test_search_by_uscc_and_by_registration_number(client):
    company = enterprise(name="合肥华信科技有限公司", registration_number="340100000123456")
    enterprise(name="合肥华信贸易有限公司")
    assert names(get(client, q=company.uscc)) == ["合肥华信科技有限公司"]
    assert names(get(client, q=company.uscc.lower())) == ["合肥华信科技有限公司"]
    assert names(get(client, q="340100000123456")) == ["合肥华信科技有限公司"]


def test_each_filter_narrows_the_results(client):
    enterprise(name="合肥华信科技有限公司", region_id="340100", established=dt.date(2015, 6, 1))
    enterprise(name="北京华信科技有限公司", region_id="110100", established=dt.date(2015, 6, 1))
    enterprise(name="华信建筑工程有限公司", industry="E", established=dt.date(2015, 6, 1))
    enterprise(name="华信物流有限公司", status="revoked", established=dt.date(2015, 6, 1))
    enterprise(name="华信老字号有限公司", established=dt.date(1998, 1, 1))
    enterprise(name="华信新创有限公司", established=dt.date(2023, 12, 31))
    assert len(names(get(client, q="华信"))) == 6
    assert names(get(client, q="华信", province="110000")) == ["北京华信科技有限公司"]
    assert names(get(client, q="华信", status="revoked")) == ["华信物流有限公司"]
    assert names(get(client, q="华信", industry="E")) == ["华信建筑工程有限公司"]
    assert names(get(client, q="华信", established="1998")) == ["华信老字号有限公司"]
    assert names(get(client, q="华信", established="2020-2024")) == ["华信新创有限公司"]
    assert sorted(names(get(client, q="华信", established="1990 – 2015", status="in_operation"))) == sorted(
        ["合肥华信科技有限公司", "北京华信科技有限公司", "华信建筑工程有限公司", "华信老字号有限公司"]
    )
    # Filters also apply to an exact identifier.
    assert names(get(client, q=make_uscc(serial=999_999), status="revoked")) == []


def test_status_filter_follows_an_update_of_the_document(client):
    company = enterprise(name="合肥华信科技有限公司")
    company.status = "cancelled"
    company.save()
    assert names(get(client, q="华信", status="cancelled")) == []  # the document is derived data
    enterprise_search_document_refresh(enterprise=company)
    assert names(get(client, q="华信", status="cancelled")) == ["合肥华信科技有限公司"]
    assert names(get(client, q="华信", status="in_operation")) == []


# --- badges ------------------------------------------------------------------------------------------


def test_badges_for_entries_in_force_and_open_abnormal_listings_only(client):
    listed = enterprise(name="华信甲有限公司")
    list_entry(listed, "samr-serious-illegal")
    list_entry(listed, "ndrc-key-concern")
    red = enterprise(name="华信乙有限公司")
    list_entry(red, "sta-grade-a")
    abnormal = enterprise(name="华信丙有限公司")
    AbnormalListingFactory(enterprise=abnormal)
    expired = enterprise(name="华信丁有限公司")
    list_entry(expired, "samr-serious-illegal", starts_on=dt.date(2017, 1, 5))  # ended 2018
    agency = AgencyFactory()
    AbnormalListingFactory(
        enterprise=expired,
        source_agency=agency,
        removed_on=dt.date(2024, 9, 1),
        removal_reason="report_filed",
        removal_agency=agency,
    )

    response = get(client, q="华信")
    rows = {row.name: [badge.slug for badge in row.badges] for row in response.context["rows"]}
    assert rows["华信甲有限公司"] == ["samr-serious-illegal", "ndrc-key-concern"]
    assert rows["华信乙有限公司"] == ["sta-grade-a"]
    assert rows["华信丙有限公司"] == ["abnormal-operations"]
    assert rows["华信丁有限公司"] == []
    content = response.content.decode()
    assert content.count('class="badge badge-blacklist"') == 1
    assert content.count('class="badge badge-watchlist"') == 1
    assert content.count('class="badge badge-redlist"') == 1
    assert content.count('class="badge badge-abnormal"') == 1


def test_badge_selectors_answer_for_a_date():
    company = EnterpriseFactory()
    list_entry(company, "samr-serious-illegal", starts_on=dt.date(2017, 1, 5))
    AbnormalListingFactory(enterprise=company, listed_on=dt.date(2017, 3, 1))
    assert badges_for_enterprises(enterprise_ids=[company.pk], on=dt.date(2017, 6, 1)) == {
        company.pk: ["blacklist"]
    }
    assert badges_for_enterprises(enterprise_ids=[company.pk]) == {}
    assert abnormal_listed_enterprise_ids(enterprise_ids=[company.pk], on=dt.date(2017, 2, 1)) == set()
    assert abnormal_listed_enterprise_ids(enterprise_ids=[company.pk]) == {company.pk}


def test_a_full_page_of_listed_enterprises_takes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    agency = Agency.objects.get(short_code="samr")
    for number in range(25):
        company = enterprise(name=f"合肥华信{number}科技有限公司")
        list_entry(company, "samr-serious-illegal", number=f"(2025)第{number}号")
        list_entry(company, "sta-grade-a", number=f"(2025)第{number}号")
        AbnormalListingFactory(enterprise=company, source_agency=agency)
    with django_assert_max_num_queries(7):
        response = get(client, q="华信")
    assert len(response.context["rows"]) == 20
    assert all(
        [badge.slug for badge in row.badges] == ["samr-serious-illegal", "sta-grade-a", "abnormal-operations"]
        for row in response.context["rows"]
    )


# --- pagination and counts -------------------------------------------------------------------------


def test_pagination_previous_next_and_page_number(client):
    for number in range(45):
        enterprise(
            name=f"合肥华信{number:02d}科技有限公司", established=dt.date(2000, 1, 1) + dt.timedelta(number)
        )
    first = get(client, q="华信")
    assert len(first.context["rows"]) == 20
    content = first.content.decode()
    assert "45 results" in content
    assert "Page 1" in content
    assert 'rel="next" href="?q=%E5%8D%8E%E4%BF%A1&amp;page=2"' in content
    assert 'rel="prev"' not in content
    third = get(client, q="华信", page=3)
    assert len(third.context["rows"]) == 5
    content = third.content.decode()
    assert "Page 3" in content and 'rel="prev"' in content and 'rel="next"' not in content
    seen = names(first) + names(get(client, q="华信", page=2)) + names(third)
    assert len(set(seen)) == 45


def test_more_hits_than_the_engine_counts_are_shown_as_an_estimate(client, monkeypatch):
    from search.query import limits

    monkeypatch.setattr(limits, "COUNT_CAP", 3)
    for number in range(5):
        enterprise(name=f"合肥华信{number}科技有限公司")
    content = get(client, q="华信").content.decode()
    assert "About 3+ results" in content


# --- states and bad input --------------------------------------------------------------------------


def test_no_query_shows_the_form_with_tips(client):
    response = client.get("/search/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="q"' in content and "Search tips" in content
    assert 'name="province"' in content and 'name="industry"' in content


def test_one_character_asks_for_two_and_keeps_the_form(client):
    enterprise(name="合肥华信科技有限公司")
    response = get(client, q="华", status="in_operation")
    assert response.status_code == 200
    content = response.content.decode()
    assert "at least 2 letters or digits" in content
    assert 'value="华"' in content
    assert '<option value="in_operation" selected>' in content
    assert response.context["page"] is None


def test_no_results_say_what_to_try(client):
    enterprise(name="合肥华信科技有限公司")
    response = get(client, q="不存在的名字")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No enterprise matches" in content
    assert "fewer words" in content and "USCC" in content and "Check the filters" in content
    assert 'href="/defaulters/"' in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "华" * 201}, "201 characters long"),
        # Refused before the view by the request-size guard, or by the form: either names the length.
        ({"q": "华信" * 5000}, "long"),
        ({"q": "华信\x00科技"}, "control characters"),
        ({"q": "华信\x07"}, "control characters"),
        ({"q": "华信", "province": "990000"}, "Province:"),
        ({"q": "华信", "status": "bankrupt"}, "Registration status:"),
        ({"q": "华信", "industry": "Z"}, "Industry:"),
        ({"q": "华信", "established": "last year"}, "Year established:"),
        ({"q": "华信", "established": "2015-2010"}, "Year established:"),
        ({"q": "华信", "established": "1800"}, "Year established:"),
        ({"q": "华信", "page": "51"}, "Page:"),
        ({"q": "华信", "page": "x"}, "Page:"),
    ],
)
def test_bad_input_is_a_400_that_names_the_problem(client, params, expected):
    response = get(client, **params)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert expected in content


def test_search_is_rate_limited(client, settings, frozen_clock):
    settings.PUBLIC_SEARCH_PER_MINUTE = 2
    assert get(client, q="华信").status_code == 200
    assert get(client, q="华信").status_code == 200
    assert get(client, q="华信").status_code == 429
