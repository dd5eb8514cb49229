"""The company's own page in a real browser: it leads with what to do, in both languages, and its
links lead on; axe finds nothing of any impact."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import EnterpriseMembership
from blacklists.models import ListType
from blacklists.services import list_entry_create
from casework.services import objection_submit
from registry.services.audit import SYSTEM
from tests.browser.support import axe_violations, describe_violations
from tests.factories import EnterpriseFactory, PenaltyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def demo_like_company():
    """A company as the demo's: listed on a blacklist, reports overdue, an objection waiting."""
    today = timezone.localdate()
    enterprise = EnterpriseFactory(name="北京诚信物流测试有限公司", established=dt.date(today.year - 3, 5, 1))
    list_type = ListType.objects.get(code="gac-dishonest")
    start = today - dt.timedelta(days=20)
    entry = list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise,
        issuing_agency=list_type.owner,
        decision_number="署企信〔2026〕8号",
        decision_date=start,
        starts_on=start,
        planned_end=start + dt.timedelta(days=list_type.max_period_days),
    )
    user = get_user_model().objects.create_user("dash-filer", "dash@example.com", "pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise, role="administrator")
    penalty = PenaltyFactory(enterprise=enterprise)
    objection_submit(
        enterprise=enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason="The fine was paid in full.",
        documents=[],
        actor=user,
        via="form",
    )
    return enterprise, entry, user


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_the_company_sees_what_to_do_and_follows_the_entry_link(signed_in_page):
    enterprise, entry, user = demo_like_company()
    page = signed_in_page(user)
    page.goto(f"/account/enterprises/{enterprise.uscc}/")
    section = page.locator("#to-do")
    expect(section.get_by_role("heading", name="What to do")).to_be_visible()
    expect(section).to_contain_text(f"On the {entry.list_type.name_en} since")
    expect(section).to_contain_text("repairable from")
    expect(section.get_by_role("heading", name="Overdue annual reports")).to_be_visible()
    expect(
        section.get_by_role("link", name=f"Annual report for {timezone.localdate().year - 3}")
    ).to_be_visible()
    expect(section).to_contain_text("Objection about")
    expect(section).to_contain_text("working days left")
    expect(page.locator("#published")).to_contain_text("List entries in force")
    assert_no_violations(page)

    section.get_by_role("link", name=re.compile("The entry")).click()
    expect(page).to_have_url(re.compile(rf"/lists/{entry.list_type.code}/entries/{entry.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(enterprise.name)


def test_the_chinese_page_says_what_to_do_and_leads_to_credit_repair(signed_in_page):
    enterprise, entry, user = demo_like_company()
    page = signed_in_page(user, locale="zh-CN")
    page.goto(f"/account/enterprises/{enterprise.uscc}/")
    section = page.locator("#to-do")
    expect(section.get_by_role("heading", name="需要办理的事项")).to_be_visible()
    expect(section).to_contain_text(f"列入{entry.list_type.name_zh}")
    expect(section).to_contain_text("起可申请信用修复")
    expect(section.get_by_role("heading", name="逾期未报的年度报告")).to_be_visible()
    expect(section.get_by_role("heading", name="等待决定的申请")).to_be_visible()
    assert entry.list_type.name_en not in section.inner_text()
    assert_no_violations(page)

    section.get_by_role("link", name=re.compile("信用修复：所需条件和材料")).click()
    expect(page).to_have_url(re.compile(rf"/account/enterprises/{enterprise.uscc}/repair/$"))
    assert_no_violations(page)
