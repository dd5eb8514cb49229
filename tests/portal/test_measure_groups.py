"""Measures in force grouped by the chain of reasons behind them: the "why" once per chain."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from blacklists.models import ListType, Memorandum
from blacklists.selectors import restrictions_in_force
from blacklists.services import list_entry_create
from portal.profile.build import enterprise_profile_public
from portal.profile.cells import list_page_url
from portal.profile.measures import measure_groups
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
WHY = "The subject is listed on Customs dishonest enterprises by General Administration of Customs"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def listed(list_code, number, **subject):
    list_type = ListType.objects.get(code=list_code)
    start = TODAY - dt.timedelta(days=10)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        planned_end=start + dt.timedelta(days=365),
        **subject,
    )


def page(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def measures_html(content):
    match = re.search(r'<section id="measures"[^>]*>(.*?)</section>', content, re.S)
    return match.group(1) if match else content


@pytest.fixture
def customs_listed():
    company = EnterpriseFactory(name="南京分组测试进出口有限公司")
    entry = listed("gac-dishonest", "署信〔2024〕21号", enterprise=company)
    return company, entry


def test_one_listing_gives_one_group_with_every_measure_it_triggers(customs_listed):
    company, entry = customs_listed
    measures = restrictions_in_force(enterprise=company).measures
    assert len(measures) > 5
    with translation.override("en"):
        groups = measure_groups(measures)
    assert len(groups) == 1
    (group,) = groups
    assert [item.measure.pk for item in group.measures] == [item.measure.pk for item in measures]
    assert group.why.startswith(WHY) and group.why.count("署信〔2024〕21号") == 1
    assert "applies the measures below to those on Customs dishonest enterprises" in group.why
    assert group.entry_url == f"/defaulters/{entry.pk}/"
    customs = Memorandum.objects.get(document_number="发改财金〔2017〕427号")
    assert group.memorandum.url == f"/memoranda/{customs.pk}/"
    assert group.memorandum.text == customs.title_en


def test_two_listings_give_two_groups_each_listing_the_measures(customs_listed):
    company, _entry = customs_listed
    listed("gac-dishonest", "署信〔2024〕22号", enterprise=company)
    measures = restrictions_in_force(enterprise=company).measures
    with translation.override("en"):
        groups = measure_groups(measures)
    assert [group.decision_number for group in groups] == ["署信〔2024〕21号", "署信〔2024〕22号"]
    assert len(groups[0].measures) == len(groups[1].measures) == len(measures)


@pytest.mark.parametrize("url", ["/enterprises/{uscc}/", "/enterprises/{uscc}/measures/"])
def test_pages_show_the_why_once_and_link_the_listing_and_memorandum(
    client, customs_listed, url, django_assert_max_num_queries
):
    company, entry = customs_listed
    measures = restrictions_in_force(enterprise=company).measures
    with django_assert_max_num_queries(20):  # the grade and alert notice: one query
        content = measures_html(page(client, url.format(uscc=company.uscc)))
    assert content.count(WHY) == 1
    for item in measures:
        assert item.measure.description_en.replace("'", "&#x27;") in content
    customs = Memorandum.objects.get(document_number="发改财金〔2017〕427号")
    assert f'href="/memoranda/{customs.pk}/"' in content and f'href="/defaulters/{entry.pk}/"' in content
    assert f"{len(measures)} measures" in content
    chinese = measures_html(page(client, url.format(uscc=company.uscc), "zh-hans"))
    assert chinese.count("署信〔2024〕21号") == 3  # the heading, the why and the link to the listing
    assert "海关失信企业名单" in chinese


def test_the_measures_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    company = EnterpriseFactory()
    for number in range(6):
        listed("gac-dishonest", f"署信〔2024〕{30 + number}号", enterprise=company)
    with django_assert_max_num_queries(8):
        content = page(client, f"/enterprises/{company.uscc}/measures/")
    assert content.count(WHY) == 6


def test_the_pdf_section_has_one_row_per_chain(customs_listed):
    company, _entry = customs_listed
    with translation.override("en"):
        section = enterprise_profile_public(uscc=company.uscc).section("measures")
    assert len(section.rows) == 1
    assert section.rows[0]["reason"].text.startswith(WHY)
    assert "(punishment, enforced by General Administration of Customs)" in section.rows[0]["measures"].text


def test_lists_link_to_their_page(customs_listed):
    company, _entry = customs_listed
    customs_list = ListType.objects.get(code="gac-dishonest")
    assert list_page_url(customs_list) == "/lists/gac-dishonest/"
    with translation.override("en"):
        (group,) = measure_groups(restrictions_in_force(enterprise=company).measures)
    assert [cell.url for cell in group.lists] == ["/lists/gac-dishonest/"]


def test_a_list_without_a_public_page_is_named_without_a_link(customs_listed):
    company, _entry = customs_listed
    ListType.objects.filter(code="gac-dishonest").update(public_search=False)
    assert list_page_url(ListType.objects.get(code="gac-dishonest")) is None
    with translation.override("en"):
        (group,) = measure_groups(restrictions_in_force(enterprise=company).measures)
    assert [(cell.text, cell.url) for cell in group.lists] == [("Customs dishonest enterprises", "")]
