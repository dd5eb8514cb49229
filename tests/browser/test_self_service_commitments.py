"""Commitment letters and instant disclosure in a real browser: sign, publish, see both on the profile."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from filings.services import instant_disclosure_due_on
from tests.factories import EnterpriseFactory
from tests.portal.account_helpers import make_user, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def company():
    enterprise = EnterpriseFactory(name="合肥星河信息科技有限公司", legal_representative="王芳")
    user = make_user("filer@example.com")
    member(user, enterprise)
    return enterprise, user


def test_sign_a_credit_repair_commitment_and_see_it_on_the_public_profile(signed_in_page, company):
    enterprise, user = company
    page = signed_in_page(user)
    page.goto(f"/account/enterprises/{enterprise.uscc}/commitments/")
    expect(page.get_by_role("heading", name="Credit commitment letters", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile("credit repair")).click()

    page.get_by_label(re.compile("Record to be repaired")).fill("合市监罚〔2024〕88号")
    page.get_by_role("button", name="Preview the letter").click()
    letter = page.get_by_role(
        "region", name="信用承诺书（信用修复型） / Credit commitment letter (credit repair)"
    )
    expect(letter).to_contain_text(enterprise.uscc)
    expect(letter).to_contain_text("合市监罚〔2024〕88号")

    page.get_by_label("Name of the person signing").fill("王芳")
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.get_by_role("alert")).to_contain_text("authorised to sign")

    page.get_by_label("Name of the person signing").fill("王芳")
    page.get_by_label("I am authorised to sign for the enterprise").check()
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.get_by_text("The letter is signed and published")).to_be_visible()

    page.get_by_role("link", name="See it on the public record").click()
    section = page.locator("#commitments")
    expect(section).to_contain_text("信用承诺书（信用修复型）")
    expect(section).to_contain_text("王芳")


def test_publish_an_instant_disclosure_and_see_it_with_its_due_date(signed_in_page, company):
    enterprise, user = company
    today = timezone.localdate()
    due = instant_disclosure_due_on(today)
    page = signed_in_page(user)
    page.goto(f"/account/enterprises/{enterprise.uscc}/disclosures/")
    page.get_by_role("link", name=re.compile("administrative licence")).click()

    page.get_by_label("Date of the licence decision").fill(today.isoformat())
    page.get_by_label("What happened").select_option("obtained")
    page.get_by_label("Licence number").fill("JY13401000001")
    page.get_by_label("Licence name").fill("食品经营许可证")
    page.get_by_label("Issuing authority").fill("合肥市市场监督管理局")
    page.get_by_label("Valid from").fill(today.isoformat())
    page.get_by_role("button", name="Continue").click()

    due_text = f"{due.day} {due.strftime('%b')} {due.year}"
    expect(page.get_by_text(f"Due within 20 working days: by {due_text}")).to_be_visible()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published. It was due by")).to_be_visible()

    page.goto(f"/enterprises/{enterprise.uscc}/")
    section = page.locator("#instant_disclosures")
    expect(section).to_contain_text("食品经营许可证")
    expect(section).to_contain_text(due_text)
    expect(section).to_contain_text("On time")
