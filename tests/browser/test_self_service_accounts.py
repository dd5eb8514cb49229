"""Company accounts in a real browser: sign in, claim an enterprise with a clerk's code, read a notice."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.services import activation_code_issue
from portal.services.notices import notices_dispatch
from registry.models import SubjectEvent
from registry.services import subject_event_record
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory
from tests.portal.account_helpers import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_claim_an_enterprise_and_receive_a_notice(page):
    cache.clear()
    enterprise = EnterpriseFactory(name="浏览器测试有限公司")
    _row, code = activation_code_issue(enterprise=enterprise, issued_by=SYSTEM)
    make_user("browser@example.com")

    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("browser@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()

    page.get_by_role("link", name="Claim an enterprise").click()
    page.get_by_label("Unified social credit code").fill(enterprise.uscc)
    page.get_by_label("Activation code").fill(code)
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_role("heading", name="浏览器测试有限公司", level=1)).to_be_visible()
    expect(page.get_by_text("You now act for 浏览器测试有限公司 as administrator.")).to_be_visible()

    subject_event_record(
        enterprise=enterprise,
        kind=SubjectEvent.Kind.PUBLISHED,
        record_type=SubjectEvent.RecordType.PENALTY,
        record_id=1,
        summary="合市监罚〔2026〕42号",
    )
    notices_dispatch()
    page.reload()
    inbox = page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox")
    expect(inbox).to_contain_text("1 unread")
    inbox.click()
    expect(page.get_by_text("合市监罚〔2026〕42号")).to_be_visible()
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)
