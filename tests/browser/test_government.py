"""The government-defaulters dashboard and a government body's profile in a real browser, in both
languages: figures, chart and table, a row's link to the body, and axe-core with no violation."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.support import axe_violations, describe_violations
from tests.government.world import government_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world():
    cache.clear()
    yield government_world()
    cache.clear()


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_dashboard_to_a_body_profile(new_page, world, locale):
    page = new_page(locale=locale)
    page.goto("/government/defaulters/")
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.locator("#years-caption")).to_be_visible()  # the chart's figures as a table
    court = "示范县人民法院" if locale == "zh-CN" else "Shifan County People's Court"
    expect(page.get_by_role("cell", name=court)).to_be_visible()
    measures = page.locator(f'a[href="/enterprises/{world.county.uscc}/measures/"]')
    expect(measures).to_be_visible()
    assert_no_violations(page)

    page.get_by_role("link", name=world.county.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/enterprises/{world.county.uscc}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(world.county.name)
    for key in ("government_body", "government_records", "government_assessments", "government_feedback"):
        expect(page.locator(f"section#{key}")).to_be_visible()
    expect(page.locator("section#annual_reports")).to_have_count(0)
    expect(page.locator("section#government_records")).to_contain_text(world.court_record.document_number)
    assert_no_violations(page)

    page.locator("section#government_assessments a").first.click()
    expect(page).to_have_url(re.compile(rf"/government/assessments/{world.assessment_round.pk}/$"))
    assert_no_violations(page)
