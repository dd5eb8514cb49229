"""Company forms in a real browser, in both languages: the annual report's steps, the error summary
whose links put the cursor in the field, the check-your-answers page and "Submit and publish";
the objection's check page. axe-core reports no violation of any impact on any of those pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.models import EnterpriseMembership
from filings.models import AnnualReportFiling
from portal.filing_steps import STEPS
from registry.models import AnnualReport
from tests.browser.support import axe_violations, describe_violations
from tests.factories import AgencyFactory, EnterpriseFactory, PenaltyFactory
from tests.filings.test_filings import full_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
YEAR = 2025
LOCALES = {
    "en-US": {"problem": "There is a problem", "check": "Check your answers before submitting the report"},
    "zh-CN": {"problem": "存在问题", "check": "提交报告前请核对填写内容"},
}


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


# Measured at once: the page may still be scrolling smoothly to the field.
LAYOUT_JS = """(ids) => ids.map((id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return {top: box.top, bottom: box.bottom};
})"""


def continue_(page):
    page.locator("button[value=continue]").click()


@pytest.fixture
def filer():
    enterprise = EnterpriseFactory(registration_authority=AgencyFactory())
    user = get_user_model().objects.create_user("filer", password="pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    return enterprise, user


@pytest.mark.parametrize("locale", LOCALES)
def test_annual_report_steps_error_summary_and_check_your_answers(signed_in_page, filer, locale):
    enterprise, user = filer
    words = LOCALES[locale]
    data = full_data()
    page = signed_in_page(user, locale=locale)
    page.goto(f"/account/enterprises/{enterprise.uscc}/annual-reports/")
    page.locator(f'a[href$="/annual-reports/{YEAR}/"]').click()

    # Step 1, with a bad phone number and no postcode: the summary lists both and takes the focus.
    expect(page.locator(".step-indicator")).to_contain_text("1")
    assert_no_violations(page)
    page.locator("#id_contact_phone").fill("abc")
    page.locator("#id_email").fill(data["email"])
    page.locator("#id_postal_address").fill(data["postal_address"])
    continue_(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(words["problem"])
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.locator("#id_contact_phone")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(page)
    summary.locator('a[href="#id_postcode"]').click()
    expect(page.locator("#id_postcode")).to_be_focused()
    summary.locator('a[href="#id_contact_phone"]').click()
    expect(page.locator("#id_contact_phone")).to_be_focused()
    # The error sits between the hint and the input, never over either.
    hint, error, field = page.evaluate(
        LAYOUT_JS, ["id_contact_phone_helptext", "id_contact_phone_error", "id_contact_phone"]
    )
    assert hint["bottom"] <= error["top"] and error["bottom"] <= field["top"]

    page.locator("#id_contact_phone").fill("0551-1234567-801")
    page.locator("#id_postcode").fill(data["postcode"])
    continue_(page)

    # Each further step keeps the draft; the lists and the attachment may stay empty.
    page.locator("#id_operating_status").select_option("operating")
    for name in ("employees", "female_employees"):
        page.locator(f"#id_{name}").fill(str(data[name]))
    continue_(page)
    for step in STEPS[2:4]:
        for name in step.fields:
            page.locator(f"#id_{name}").fill(f"{int(data[name]):,}" if "paid_" in name else str(data[name]))
        if step.slug == "assets":
            page.locator("#id_withhold_revenue").check()
            page.locator("#id_revenue").fill("12.345")
            continue_(page)
            expect(page.get_by_role("alert")).to_be_focused()
            # The error, the input and its "do not publish" checkbox follow each other, none over another.
            hint, error, field, withhold = page.evaluate(
                LAYOUT_JS, ["id_revenue_helptext", "id_revenue_error", "id_revenue", "id_withhold_revenue"]
            )
            assert hint["bottom"] <= error["top"] and error["bottom"] <= field["top"]
            assert field["bottom"] <= withhold["top"]
            expect(page.locator("#id_withhold_revenue")).to_be_checked()
            page.locator("#id_revenue").fill("5,000,000")
        assert_no_violations(page)
        continue_(page)
    assert AnnualReportFiling.objects.get().data["paid_pension"] == "10000"
    while page.locator("button[value=continue]").count():
        continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    expect(page.locator("main")).to_contain_text("0551-1234567-801")
    assert_no_violations(page)

    # "Change" leads to the step and back to the check page.
    page.locator('a[href*="/operation/?return=check#id_employees"]').click()
    expect(page.locator("#id_employees")).to_be_focused()
    page.locator("#id_employees").fill("31")
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    expect(page.locator("main")).to_contain_text("31")

    page.locator("button[value=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert AnnualReport.objects.get(enterprise=enterprise, year=YEAR).employees == 31
    assert_no_violations(page)


@pytest.mark.parametrize("locale", LOCALES)
def test_objection_is_checked_before_it_is_sent(signed_in_page, locale):
    penalty = PenaltyFactory(decision_number="合市监罚〔2024〕78号")
    user = get_user_model().objects.create_user("objector", password="pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=penalty.enterprise)
    page = signed_in_page(user, locale=locale)
    page.goto(
        f"/account/enterprises/{penalty.enterprise.uscc}/objections/new/"
        f"?record_type=penalty&record_id={penalty.pk}"
    )
    page.locator("#id_reason").fill("short")
    page.locator("form.card button[type=submit]").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    assert_no_violations(page)
    summary.locator('a[href="#id_reason"]').click()
    expect(page.locator("#id_reason")).to_be_focused()
    page.locator("#id_reason").fill("The fine was annulled by the court on appeal.")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("The fine was annulled by the court on appeal.")
    assert_no_violations(page)
    page.locator('a[href*="#id_reason"]').click()
    expect(page.locator("#id_reason")).to_have_value(re.compile("annulled"))
    page.locator("form.card button[type=submit]").click()
    page.locator("form.card button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert penalty.enterprise.objections.count() == 1
