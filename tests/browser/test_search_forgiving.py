"""A citizen types the city and the trade name, with a space, on the enterprise search page and
finds the company, in English and in Chinese; axe-core finds no violation of any impact."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from registry.services import enterprise_search_document_refresh
from tests.browser.support import axe_violations, describe_violations
from tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHUIBO = "天津市城东新区水博酒店管理商行"


@pytest.fixture
def companies():
    for name, region in (
        (SHUIBO, "120100"),
        ("天津市红桥区宾馆", "120100"),
        ("合肥华信科技有限公司", "340100"),
    ):
        enterprise = EnterpriseFactory(name=name, region_id=region)
        enterprise_search_document_refresh(enterprise=enterprise)


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


@pytest.mark.parametrize(("locale", "language"), [("en-US", "en"), ("zh-CN", "zh-hans")])
def test_city_and_trade_name_with_a_space_find_the_company(new_page, companies, locale, language):
    page = new_page(locale=locale)
    page.goto("/search/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("天津 水博")
    box.press("Enter")
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/search/\?q=%E5%A4%A9%E6%B4%A5\+%E6%B0%B4%E5%8D%9A"))
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=SHUIBO)).to_be_visible()
    expect(results).not_to_contain_text("天津市红桥区宾馆")
    expect(results).not_to_contain_text("合肥华信科技有限公司")
    assert_no_violations(page)


def test_characters_in_order_and_the_suggestion_to_leave_out_a_term(page, companies):
    page.goto("/search/?q=城东新区酒店")
    expect(page.get_by_role("table").get_by_role("link", name=SHUIBO)).to_be_visible()
    page.goto("/search/?q=天津+水博+商场")
    suggestion = page.get_by_role("link", name="天津 水博", exact=True)
    expect(suggestion).to_be_visible()
    expect(page.locator(".suggestion")).to_contain_text("(without 商场)")
    assert_no_violations(page)
    suggestion.click()
    page.wait_for_load_state()
    expect(page.get_by_role("table").get_by_role("link", name=SHUIBO)).to_be_visible()
