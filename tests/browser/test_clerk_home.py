"""The clerk's home in a real browser: a clerk of one agency signs in to the admin and sees their
agency's work due and overdue, in working days, and nothing of another agency, in both languages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import AgencyMembership
from casework.models import RepairApplication
from casework.services import objection_submit
from core.workdays import add_working_days
from tests.browser.support import _axe, axe_violations, describe_violations
from tests.factories import AgencyFactory, PenaltyFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-clerk-123456789"


def repair(agency, *, number, submitted_at, due_on):
    penalty = PenaltyFactory(deciding_agency=agency, decision_number=number)
    return RepairApplication.objects.create(
        enterprise=penalty.enterprise,
        agency=agency,
        penalty=penalty,
        submitted_at=submitted_at,
        due_on=due_on,
    )


@pytest.fixture
def clerk():
    ours, theirs = AgencyFactory(), AgencyFactory()
    now = timezone.now()
    today = timezone.localdate()
    long_ago = now - dt.timedelta(days=40)
    repair(ours, number="合市监罚〔2026〕1号", submitted_at=long_ago, due_on=today - dt.timedelta(days=20))
    repair(ours, number="合市监罚〔2026〕2号", submitted_at=now, due_on=add_working_days(today, 15))
    repair(theirs, number="合市监罚〔2026〕3号", submitted_at=long_ago, due_on=today - dt.timedelta(days=20))
    user = User.objects.create_user("county-clerk", password=PASSWORD, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["casework", "blacklists", "registry"])
    )
    AgencyMembership.objects.create(user=user, agency=ours)
    return user


def assert_no_violations(page, context=None):
    if context is None:
        violations = axe_violations(page)
    else:
        violations = (
            _axe().run(page, context=context, options={"resultTypes": ["violations"]}).response["violations"]
        )
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


@pytest.mark.parametrize(
    ("locale", "sign_in", "heading", "overdue", "left"),
    [
        ("en-US", "Log in", "Work due", "Overdue by", "working days left"),
        ("zh-CN", "登录", "待办事项", "已超期", "剩余"),
    ],
)
def test_clerk_signs_in_and_sees_their_agencys_queue(
    new_page, clerk, locale, sign_in, heading, overdue, left
):
    page = new_page(locale=locale)
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("county-clerk")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=sign_in).click()

    queue = page.locator("#clerk-queue")
    expect(queue.get_by_role("heading", name=heading, level=2)).to_be_visible()
    rows = queue.locator("tbody tr")
    expect(rows).to_have_count(2)
    # The earliest due first: the overdue one, then the one with working days left.
    expect(rows.nth(0)).to_contain_text("合市监罚〔2026〕1号")
    expect(rows.nth(0)).to_contain_text(overdue)
    expect(rows.nth(1)).to_contain_text("合市监罚〔2026〕2号")
    expect(rows.nth(1)).to_contain_text(left)
    expect(queue).not_to_contain_text("合市监罚〔2026〕3号")
    # Internal tables are not on a clerk's home.
    expect(page.locator('a[href*="/search/searchdocument/"]')).to_have_count(0)
    expect(page.locator('a[href*="/blacklists/listentry/"]').first).to_be_visible()
    assert_no_violations(page)

    rows.nth(0).get_by_role("link").click()
    expect(page.locator("#content")).to_contain_text("合市监罚〔2026〕1号")


def test_clerk_decides_an_objection_as_corrected_and_corrects_the_record(new_page):
    penalty = PenaltyFactory(decision_number="合市监罚〔2026〕9号", fine_amount=Decimal("50000"))
    objection = objection_submit(
        enterprise=penalty.enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason="The fine was recorded ten times too high.",
        documents=[],
        actor=member_of(penalty.enterprise),
        via="form",
    )
    user = User.objects.create_user("county-clerk", password=PASSWORD, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["casework", "registry"]))
    AgencyMembership.objects.create(user=user, agency=objection.agency)
    page = new_page()
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("county-clerk")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("#clerk-queue").get_by_role("link", name=re.compile("合市监罚〔2026〕9号")).click()

    expect(page.get_by_role("heading", name="Correction of the record")).to_be_visible()
    # Django's own breadcrumbs on a change page fail link-in-text-block (white links on light blue,
    # not underlined); the form itself is checked.
    assert_no_violations(page, context="#content-main")
    page.get_by_label("corrected: the record was wrong").check()
    page.get_by_label("Reason for the decision").fill("The fine was recorded ten times too high.")
    page.get_by_label("Fine").fill("5000")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_be_visible()
    penalty.refresh_from_db()
    objection.refresh_from_db()
    assert penalty.fine_amount == Decimal("5000") and objection.status == "corrected"
