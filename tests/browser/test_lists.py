"""The public lists in a real browser, in both languages: home -> lists -> a list -> an entry,
with axe-core reporting no violation of any impact on any of those pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blacklists.models import ListType
from blacklists.services import list_entry_create
from registry.services.audit import SYSTEM
from tests.browser.support import axe_violations, describe_violations
from tests.factories import AbnormalListingFactory, EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMPANY = "天津市城东新区水博酒店管理商行"


@pytest.fixture
def entry():
    list_type = ListType.objects.get(code="gac-dishonest")
    start = timezone.localdate() - dt.timedelta(days=3)
    AbnormalListingFactory(listed_on=start - dt.timedelta(days=1))
    return list_entry_create(
        actor=SYSTEM,
        via="form",
        list_type=list_type,
        enterprise=EnterpriseFactory(name=COMPANY),
        issuing_agency=list_type.owner,
        decision_number="津关信〔2026〕7号",
        decision_date=start,
        starts_on=start,
        published_on=start,
    )


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


@pytest.mark.parametrize(
    ("locale", "lists", "list_name", "results", "history"),
    [
        ("en-US", "Lists", "Customs dishonest enterprises", "Newest entries", "Status history"),
        ("zh-CN", "名单", "海关失信企业名单", "最新列入", "状态记录"),
    ],
)
def test_home_to_lists_to_a_list_to_an_entry(new_page, entry, locale, lists, list_name, results, history):
    page = new_page(locale=locale)
    page.goto("/")
    expect(page.get_by_role("searchbox").first).to_be_visible()
    expect(page.get_by_role("link", name=COMPANY)).to_be_visible()  # the latest publications
    assert_no_violations(page)

    page.get_by_role("navigation", name=re.compile("Main|主导航")).get_by_role(
        "link", name=lists, exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/lists/$"))
    assert_no_violations(page)

    page.get_by_role("link", name=list_name, exact=True).click()
    expect(page).to_have_url(re.compile(r"/lists/gac-dishonest/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(list_name)
    expect(page.get_by_role("heading", level=2, name=results)).to_be_visible()
    assert "gac-dishonest" not in page.locator("main").inner_text()
    assert_no_violations(page)

    page.get_by_role("link", name=COMPANY).click()
    expect(page).to_have_url(re.compile(rf"/lists/gac-dishonest/entries/{entry.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
    expect(page.get_by_role("heading", level=2, name=history)).to_be_visible()
    expect(page.locator("main")).to_contain_text("津关信〔2026〕7号")
    assert_no_violations(page)


def test_search_a_list_by_city_and_trade_name(page, entry):
    page.goto("/lists/gac-dishonest/")
    page.get_by_role("searchbox", name=re.compile("Name")).fill("水博酒店")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?q="))
    expect(page.get_by_role("link", name=COMPANY)).to_be_visible()
    page.get_by_label("Region (division code)").fill("12345")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Region: 12345 is not a division code")
    assert_no_violations(page)
