"""The Content-Security-Policy in a real browser: the main public pages, a company's account and
the admin load without a single violation (Chromium reports each one on the console)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import AgencyFactory, EnterpriseFactory, PenaltyFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def visit_collecting_violations(page, paths: list[str]) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert response.headers.get("content-security-policy"), path
        page.wait_for_load_state("networkidle")
    return violations


def test_public_pages_and_a_company_account_have_no_csp_violation(new_page, signed_in_page):
    enterprise = EnterpriseFactory(name="合肥安信商贸有限公司")
    PenaltyFactory(enterprise=enterprise, deciding_agency=AgencyFactory())
    public = [
        "/",
        f"{reverse('portal:search')}?q=安信",
        reverse("portal:enterprise", args=[enterprise.uscc]),
        reverse("portal:defaulter-search"),
        reverse("portal:lists"),
        reverse("portal:government-defaulters"),
        reverse("portal:inspections"),
        reverse("portal:login"),
        reverse("portal:signup"),
    ]
    assert visit_collecting_violations(new_page(), public) == []

    member = member_of(enterprise, "csp-member")
    account = [reverse("portal:account"), reverse("portal:company", args=[enterprise.uscc])]
    assert visit_collecting_violations(signed_in_page(member), account) == []


def test_the_admin_has_no_csp_violation(signed_in_page):
    admin = User.objects.create_superuser("csp-admin", password="pw-csp-admin-123456")
    EnterpriseFactory()
    paths = [
        reverse("admin:index"),
        reverse("admin:registry_enterprise_changelist"),
        reverse("admin:registry_enterprise_add"),
        reverse("admin:imports_importrun_changelist"),
        reverse("admin:auth_group_changelist"),
    ]
    assert visit_collecting_violations(signed_in_page(admin), paths) == []


def test_a_violation_would_be_seen(new_page, live_server):
    """The check above can fail: an inline script on a page of ours is refused and reported."""
    page = new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in text for text in violations)
