"""The one search box: the "All" tab's groups, the "List subjects" tab, identifiers, bounds."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from blacklists.models import ListType
from blacklists.services import list_entry_create
from registry.services import person_create
from registry.services.audit import SYSTEM
from registry.services.search import enterprise_search_document_refresh
from tests.blacklists.test_search_pages import defaulter
from tests.factories import AbnormalListingFactory, EnterpriseFactory, make_resident_id, with_wrong_check_char

pytestmark = pytest.mark.django_db
URL = "/search/all/"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    # A request in Chinese leaves Chinese active in this thread: later tests expect the default.
    with translation.override(translation.get_language()):
        yield
    cache.clear()


def enterprise(**fields):
    created = EnterpriseFactory(**fields)
    enterprise_search_document_refresh(enterprise=created)
    return created


def listed(code, *, enterprise=None, person=None, number="(2025)第1号"):
    list_type = ListType.objects.get(code=code)
    starts_on = timezone.localdate() - dt.timedelta(days=10)
    return list_entry_create(
        actor=SYSTEM,
        via="form",
        list_type=list_type,
        issuing_agency=list_type.owner,
        enterprise=enterprise,
        person=person,
        subject_name=person.name if person else enterprise.name,
        decision_number=number,
        decision_date=starts_on,
        starts_on=starts_on,
        planned_end=starts_on + dt.timedelta(days=365),
    )


def get(client, language="en", **params):
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language)


def group(response, key):
    return next(item for item in response.context["groups"] if item.key == key)


def subject_names(rows):
    return [row.entry.subject_name for row in rows]


@pytest.fixture
def world():
    """An enterprise on an agency blacklist, a person on the same list, a court defaulter, and an
    enterprise on no list, all named with 华信."""
    company = enterprise(name="合肥华信科技有限公司")
    enterprise(name="南京华信贸易有限公司")
    tax = listed("sta-major-tax-violations", enterprise=company, number="皖税稽罚〔2025〕1号")
    number = make_resident_id(region="340104", birth="19800101")
    person = person_create(actor=SYSTEM, via="form", name="华信军", id_number=number)
    finance = listed("ndrc-finance", person=person, number="发改财金〔2025〕7号")
    court_person = person_create(
        actor=SYSTEM, via="form", name="华信民", id_number=make_resident_id(region="340104", birth="19700101")
    )
    court = defaulter(person=court_person, case="(2024)皖0104执9号")
    return {
        "company": company,
        "tax": tax,
        "finance": finance,
        "court": court,
        "person": person,
        "number": number,
    }


def test_all_tab_groups_enterprises_list_subjects_and_court_defaulters(client, world):
    response = get(client, q="华信")
    assert response.status_code == 200
    assert [item.key for item in response.context["groups"]] == ["enterprises", "lists", "defaulters"]
    assert sorted(row.name for row in group(response, "enterprises").rows) == [
        "南京华信贸易有限公司",
        "合肥华信科技有限公司",
    ]
    # Court lists are their own group: each subject shows once.
    assert sorted(subject_names(group(response, "lists").rows)) == ["华信军", "合肥华信科技有限公司"]
    assert subject_names(group(response, "defaulters").rows) == ["华信民"]
    content = response.content.decode()
    assert "/search/?q=%E5%8D%8E%E4%BF%A1" in content
    assert "/search/all/?tab=lists&amp;q=%E5%8D%8E%E4%BF%A1" in content
    assert "/defaulters/?q=%E5%8D%8E%E4%BF%A1&amp;list=all" in content


def test_list_subject_rows_name_the_list_in_the_readers_language_and_link_to_it(client, world):
    english = get(client, q="华信军").content.decode()
    assert "Seriously dishonest parties in the financial sector" in english
    assert 'href="/lists/ndrc-finance/"' in english
    assert "涉金融严重失信人名单" not in english
    assert world["person"].id_masked in english
    assert world["number"] not in english
    assert "发改财金〔2025〕7号" in english
    chinese = get(client, language="zh-hans", q="华信军").content.decode()
    assert "涉金融严重失信人名单" in chinese
    assert "ndrc-finance</" not in chinese and ">ndrc-finance<" not in chinese


def test_entries_link_to_their_page(client, world):
    content = get(client, q="华信").content.decode()
    assert f'href="/lists/court-defaulters/entries/{world["court"].pk}/"' in content
    assert f'href="/lists/ndrc-finance/entries/{world["finance"].pk}/"' in content


def test_enterprise_badges_name_the_list_and_link_to_it(client, world):
    AbnormalListingFactory(enterprise=world["company"])
    content = get(client, q="合肥华信科技有限公司").content.decode()
    assert (
        '<a class="badge badge-blacklist" href="/lists/sta-major-tax-violations/">Parties to major tax '
        "violation cases</a>" in content
    )
    assert (
        '<a class="badge badge-abnormal" href="/lists/abnormal-operations/">Directory of enterprises '
        "with abnormal operations</a>" in content
    )


def test_list_subjects_tab_searches_every_public_list_and_filters_by_one(client, world):
    response = get(client, q="华信", tab="lists")
    assert response.status_code == 200
    assert sorted(subject_names(response.context["rows"])) == ["华信军", "华信民", "合肥华信科技有限公司"]
    response = get(client, q="华信", tab="lists", list="ndrc-finance")
    assert subject_names(response.context["rows"]) == ["华信军"]
    content = response.content.decode()
    assert '<option value="ndrc-finance" selected>' in content
    assert '<optgroup label="Blacklists">' in content
    assert 'aria-current="page">List subjects</a>' in content


def test_list_subjects_tab_refuses_an_unknown_list(client):
    response = get(client, q="华信", tab="lists", list="no-such-list")
    assert response.status_code == 400
    assert "List: there is no public list called no-such-list." in response.context["error"]


def test_the_enterprise_and_defaulter_tabs_go_to_their_pages_with_the_query(client):
    response = get(client, q="华信", tab="enterprises")
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=%E5%8D%8E%E4%BF%A1"
    response = get(client, q="华信", tab="defaulters")
    assert response["Location"] == "/defaulters/?q=%E5%8D%8E%E4%BF%A1&list=all"


def test_an_unknown_tab_is_a_bad_request(client):
    response = get(client, q="华信", tab="everything")
    assert response.status_code == 400
    assert "Search in: everything is not one of the tabs." in response.context["error"]


def test_empty_and_too_short_queries_get_a_friendly_message(client):
    response = get(client)
    assert response.status_code == 200
    assert "Search tips" in response.content.decode()
    response = get(client, q="")
    assert response.status_code == 200
    assert "Enter a name" in response.context["notice"]
    response = get(client, q="华")
    assert response.status_code == 200
    assert "at least 2 letters or digits" in response.context["notice"]
    assert response.context["groups"] is None


def test_control_characters_are_a_bad_request(client):
    response = get(client, q="华信\x07")
    assert response.status_code == 400
    assert "control characters" in response.content.decode()


# --- identifiers -----------------------------------------------------------------------------------


def test_a_uscc_finds_the_enterprise_and_its_entries(client, world):
    response = get(client, q=world["company"].uscc)
    assert [row.name for row in group(response, "enterprises").rows] == ["合肥华信科技有限公司"]
    assert subject_names(group(response, "lists").rows) == ["合肥华信科技有限公司"]
    assert group(response, "defaulters").rows == []


def test_a_full_and_a_masked_id_number_find_the_person(client, world):
    for query in (world["number"], world["person"].id_masked, f"华信军 {world['person'].id_masked}"):
        response = get(client, q=query)
        assert response.status_code == 200, query
        assert subject_names(group(response, "lists").rows) == ["华信军"], query
        assert group(response, "enterprises").rows == []


def test_a_case_number_finds_the_court_defaulter(client, world):
    response = get(client, q="(2024)皖0104执9号")
    assert subject_names(group(response, "defaulters").rows) == ["华信民"]


def test_a_wrong_uscc_check_character_is_explained(client, world):
    response = get(client, q=with_wrong_check_char(world["company"].uscc))
    assert response.status_code == 400
    assert f"should be {world['company'].uscc[17]}" in response.context["error"]


def test_part_of_an_id_number_says_what_is_needed(client, world):
    response = get(client, q=world["number"][:12])
    assert response.status_code == 400
    assert "part of an ID number" in response.context["error"]


def test_a_badly_masked_id_number_says_the_published_form(client, world):
    response = get(client, q=world["number"][:10] + "***" + world["number"][-4:], tab="lists")
    assert response.status_code == 400
    assert "XXXXXXXXXX****XXXX" in response.context["error"]


# --- bounds ----------------------------------------------------------------------------------------


def test_the_all_tab_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for index in range(12):
        company = enterprise(name=f"宜春图锦包装有限公司{index}")
        listed("sta-major-tax-violations", enterprise=company, number=f"税〔2025〕{index}号")
        listed("gac-dishonest", enterprise=company, number=f"关〔2025〕{index}号")
        AbnormalListingFactory(enterprise=company)
        person = person_create(
            actor=SYSTEM,
            via="form",
            name=f"宜春包{index}",
            id_number=make_resident_id(region="340104", birth="19800101", serial=100 + index),
        )
        listed("ndrc-finance", person=person, number=f"财〔2025〕{index}号")
        defaulter(person=person, case=f"(2024)皖0104执{100 + index}号")
    get(client, q="宜春")  # warms the search statistics and prepared statements
    cache.clear()
    # The lists, then per group its search and one read of the page (enterprises: and the badges);
    # a search that finds fewer than a page of contiguous matches adds one statement for the
    # characters in order.
    with django_assert_max_num_queries(11):
        response = get(client, q="宜春")
    assert all(len(item.rows) == 5 for item in response.context["groups"])
    cache.clear()
    with django_assert_max_num_queries(3):
        response = get(client, q="宜春", tab="lists")
    assert len(response.context["rows"]) == 20


def test_the_search_is_rate_limited(client, settings, frozen_clock):
    settings.PUBLIC_SEARCH_PER_MINUTE = 2
    assert get(client, q="华信").status_code == 200
    assert get(client, q="华信").status_code == 200
    assert get(client, q="华信").status_code == 429
