"""The one search box in a real browser, in both languages: the All tab and the List subjects tab,
with no axe violation of any impact."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blacklists.models import ListType
from blacklists.services import list_entry_create
from registry.services import enterprise_search_document_refresh, person_create
from registry.services.audit import SYSTEM
from tests.blacklists.test_search_pages import defaulter
from tests.browser.support import axe_violations, describe_violations
from tests.factories import EnterpriseFactory, make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = {
    "en": {
        "locale": "en-US",
        "box": "Name, USCC, ID number or case number",
        "search": "Search",
        "all": "All",
        "lists": "List subjects",
        "list": "List",
        "finance": "Seriously dishonest parties in the financial sector",
        "enterprises": "Enterprises (1)",
        "subjects": "List subjects (2)",
        "defaulters": "Court defaulters (1)",
    },
    "zh": {
        "locale": "zh-CN",
        "box": "名称、统一社会信用代码、身份证号或案号",
        "search": "查询",
        "all": "全部",
        "lists": "名单主体",
        "list": "名单",
        "finance": "涉金融严重失信人名单",
        "enterprises": "企业（1）",
        "subjects": "名单主体（2）",
        "defaulters": "失信被执行人（1）",
    },
}


def listed(code, *, enterprise=None, person=None, number):
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


@pytest.fixture
def subjects():
    company = EnterpriseFactory(name="合肥华信科技有限公司")
    enterprise_search_document_refresh(enterprise=company)
    listed("sta-major-tax-violations", enterprise=company, number="皖税稽罚〔2025〕1号")
    person = person_create(
        actor=SYSTEM, via="form", name="华信军", id_number=make_resident_id(region="340104", birth="19800101")
    )
    listed("ndrc-finance", person=person, number="发改财金〔2025〕7号")
    court_person = person_create(
        actor=SYSTEM, via="form", name="华信民", id_number=make_resident_id(region="340104", birth="19700101")
    )
    defaulter(person=court_person, case="(2024)皖0104执9号")
    return {"company": company, "person": person}


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def search_in_box(page, words, query):
    page.get_by_role("searchbox", name=words["box"]).fill(query)
    page.get_by_role("button", name=words["search"], exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_all_tab_from_the_home_page_groups_every_kind_of_subject(new_page, subjects, language):
    words = TEXT[language]
    page = new_page(locale=words["locale"])
    page.goto("/")
    tabs = page.get_by_role("navigation", name=re.compile("Search in|查询范围"))
    tabs.get_by_role("link", name=words["all"], exact=True).click()
    expect(tabs.get_by_role("link", name=words["all"], exact=True)).to_have_attribute("aria-current", "page")
    assert_no_violations(page)
    search_in_box(page, words, "华信")
    expect(page).to_have_url(re.compile(r"/search/all/\?q="))
    for heading in (words["enterprises"], words["subjects"], words["defaulters"]):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    subjects_section = page.locator("section").filter(
        has=page.get_by_role("heading", level=2, name=words["subjects"])
    )
    expect(subjects_section.get_by_role("link", name=words["finance"])).to_have_attribute(
        "href", "/lists/ndrc-finance/"
    )
    expect(subjects_section).to_contain_text(subjects["person"].id_masked)
    assert_no_violations(page)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_list_subjects_tab_searches_one_list(new_page, subjects, language):
    words = TEXT[language]
    page = new_page(locale=words["locale"])
    page.goto("/")
    tabs = page.get_by_role("navigation", name=re.compile("Search in|查询范围"))
    tabs.get_by_role("link", name=words["lists"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/search/all/\?tab=lists"))
    assert_no_violations(page)
    page.get_by_role("combobox", name=words["list"], exact=True).select_option("ndrc-finance")
    search_in_box(page, words, "华信")
    expect(page).to_have_url(re.compile(r"tab=lists"))
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name="华信军")).to_be_visible()
    expect(results).not_to_contain_text("华信民")
    expect(results).not_to_contain_text("合肥华信科技有限公司")
    assert_no_violations(page)
