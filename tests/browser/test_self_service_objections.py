"""Objections in a real browser: a company objects to a penalty on its profile, the agency decides,
and the company sees the decision."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from accounts.models import AgencyMembership, EnterpriseMembership
from casework.models import Objection
from casework.services import application_decide
from tests.factories import PenaltyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_company_objects_to_a_penalty_and_sees_the_decision(signed_in_page, tmp_path):
    penalty = PenaltyFactory(decision_number="合市监罚〔2024〕77号")
    enterprise = penalty.enterprise
    user = User.objects.create_user("filer", password="pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    page = signed_in_page(user)

    page.goto(f"/enterprises/{enterprise.uscc}/")
    penalties = page.locator("#penalties")
    row = penalties.get_by_role("row").filter(has_text="合市监罚〔2024〕77号")
    row.get_by_role("link", name="Object").click()

    expect(page.get_by_role("heading", name="Object to a record", level=1)).to_be_visible()
    expect(page.get_by_text("合市监罚〔2024〕77号")).to_be_visible()
    page.get_by_label("Why the record is wrong").fill("The fine was annulled by the court on appeal.")
    proof = tmp_path / "judgment.pdf"
    proof.write_bytes(PDF)
    page.get_by_label("Documents (evidence)").set_input_files(str(proof))
    page.get_by_role("button", name="Continue").click()

    expect(
        page.get_by_role("heading", name="Check your objection before sending it", level=1)
    ).to_be_visible()
    answers = page.get_by_role("region", name="Your objection")
    expect(answers).to_contain_text("The fine was annulled by the court on appeal.")
    expect(answers).to_contain_text("judgment.pdf")
    page.get_by_role("button", name="Send the objection").click()

    expect(page.get_by_role("heading", name="Objections", level=1)).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("合市监罚〔2024〕77号")
    expect(table).to_contain_text(re.compile(r"\d+ working days? left"))
    expect(table).to_contain_text("awaiting decision")

    clerk = User.objects.create_user("clerk", is_staff=True)
    AgencyMembership.objects.create(user=clerk, agency=penalty.deciding_agency)
    application_decide(
        application=Objection.objects.get(),
        outcome="corrected",
        reason="The penalty record is withdrawn after the court's judgment.",
        actor=clerk,
        via="admin",
    )

    page.reload()
    expect(table).to_contain_text("corrected")
    expect(table).to_contain_text("The penalty record is withdrawn after the court's judgment.")
    expect(table).not_to_contain_text("working days left")
