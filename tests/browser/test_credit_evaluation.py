"""The company's credit evaluation in a real browser: the grade, every record with its dates and
what can be done; axe finds nothing of any impact."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.models import EnterpriseMembership
from scoring.services import evaluation_run_for
from scoring.services.defaults import rule_sets_load_defaults
from tests.browser.support import axe_violations, describe_violations
from tests.scoring.helpers import company, penalise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_company_sees_its_grade_and_explanation(signed_in_page):
    rule_sets_load_defaults()
    enterprise = company()
    penalty = penalise(enterprise, "50000")
    penalise(enterprise, "50000")
    evaluation_run_for(enterprise=enterprise)
    user = get_user_model().objects.create_user("grade-filer", "grade@example.com", "pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise, role="administrator")
    page = signed_in_page(user)
    page.goto(f"/account/enterprises/{enterprise.uscc}/evaluation/")
    expect(page.locator("#current")).to_contain_text("C (medium)")
    explanation = page.locator("#explanation")
    expect(explanation).to_contain_text(penalty.decision_number)
    expect(explanation).to_contain_text("it can be repaired from")
    expect(explanation.get_by_role("link", name="Object to this record").first).to_be_visible()
    expect(page.locator("#credit-file")).to_contain_text("credit-management briefing")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
