"""A company's account pages, walked over every URL of the self-service (docs/security.md).

A user who acts for company B opens every account page of company A, by GET and by POST, with
A's own objects in the URL: each answers 403 or 404 and nothing of A changes. The URL patterns come
from the portal's URLconf, so a page added later is walked too (or the test asks for its
arguments).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, get_resolver, reverse

from accounts.models import EnterpriseMembership
from filings.models import AnnualReportFiling
from portal.filing_steps import STEPS
from registry.models import Document
from tests.factories import (
    AbnormalListingFactory,
    CreditCommitmentFactory,
    EnterpriseFactory,
    InstantDisclosureFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

# Pages a signed-in user may open for any enterprise: following an enterprise's public record.
NOT_ACCOUNT_PAGES = {"follow"}


def account_patterns() -> list[str]:
    """The names of the portal's URLs that act on one enterprise's account or its documents."""
    names = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) != "portal":
            continue
        for inner in pattern.url_patterns:
            assert isinstance(inner, URLPattern)
            route = str(inner.pattern)
            of_one_company = "<str:uscc>" in route or "account/documents/" in route
            if route.startswith("account/") and of_one_company and inner.name not in NOT_ACCOUNT_PAGES:
                names.append(inner.name)
    return names


@pytest.fixture
def company_a():
    enterprise = EnterpriseFactory(name="甲公司")
    owner = member_of(enterprise, "owner-a", role=EnterpriseMembership.Role.ADMINISTRATOR)
    filer = member_of(enterprise, "filer-a")
    document = Document.objects.create(
        enterprise=enterprise,
        kind="proof_of_performance",
        file="a.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    return {
        "enterprise": enterprise,
        "owner": owner,
        "membership": EnterpriseMembership.objects.get(user=filer, enterprise=enterprise),
        "document": document,
        "disclosure": InstantDisclosureFactory(enterprise=enterprise),
        "commitment": CreditCommitmentFactory(enterprise=enterprise),
        "listing": AbnormalListingFactory(enterprise=enterprise, listed_on=dt.date(2025, 7, 1)),
        "filing": AnnualReportFiling.objects.create(enterprise=enterprise, year=2025),
    }


def arguments(name: str, a: dict) -> dict:
    uscc = a["enterprise"].uscc
    per_page = {
        "document": {"pk": a["document"].pk},
        "member-remove": {"uscc": uscc, "pk": a["membership"].pk},
        "disclosure-new": {"uscc": uscc, "kind": a["disclosure"].kind},
        "disclosure-correct": {"uscc": uscc, "pk": a["disclosure"].pk},
        "commitment-new": {"uscc": uscc, "kind": a["commitment"].kind},
        "commitment-detail": {"uscc": uscc, "pk": a["commitment"].pk},
        "annual-report": {"uscc": uscc, "year": a["filing"].year},
        "annual-report-step": {"uscc": uscc, "year": a["filing"].year, "step": STEPS[0].slug},
        "abnormal-removal-apply": {"uscc": uscc, "pk": a["listing"].pk},
    }
    return per_page.get(name, {"uscc": uscc})


def state_of(a: dict) -> tuple:
    enterprise = a["enterprise"]
    return (
        list(EnterpriseMembership.objects.filter(enterprise=enterprise).values().order_by("pk")),
        list(enterprise.activation_codes.values().order_by("pk")),
        list(Document.objects.filter(enterprise=enterprise).values().order_by("pk")),
        list(AnnualReportFiling.objects.filter(enterprise=enterprise).values().order_by("pk")),
        type(a["disclosure"]).objects.filter(enterprise=enterprise).count(),
        type(a["commitment"]).objects.filter(enterprise=enterprise).count(),
    )


def test_the_walk_covers_the_self_service():
    names = set(account_patterns())
    assert {
        "company",
        "company-members",
        "document",
        "annual-report-step",
        "objection-new",
        "repair-apply",
    } <= names
    assert len(names) >= 20


def test_a_user_of_another_company_reaches_no_account_page_of_a_company(client, company_a):
    outsider = member_of(
        EnterpriseFactory(name="乙公司"), "owner-b", role=EnterpriseMembership.Role.ADMINISTRATOR
    )
    client.force_login(outsider)
    before = state_of(company_a)
    problems = []
    for name in account_patterns():
        url = reverse(f"portal:{name}", kwargs=arguments(name, company_a))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # 405: the page takes no GET at all (a form that only posts), so it shows nothing.
            refused = (403, 404, 405) if method == "get" else (403, 404)
            if response.status_code not in refused:
                problems.append(f"{method.upper()} {name} {url}: {response.status_code}")
    assert problems == []
    assert state_of(company_a) == before


# Pages that answer 404 to A's own administrator too until there is a case for them: an objection
# or a repair needs a record to object to or repair, and a document is opened through its case.
NEED_A_CASE = {"objection-new", "objection-check", "repair-apply", "repair-check", "document"}


def test_the_walk_reaches_the_pages_for_a_member(client, company_a):
    """The arguments are right: the administrator of A opens the same pages (so a 404 above is a
    refusal, not a wrong address)."""
    client.force_login(company_a["owner"])
    unreachable = []
    for name in set(account_patterns()) - NEED_A_CASE:
        response = client.get(reverse(f"portal:{name}", kwargs=arguments(name, company_a)))
        if response.status_code in (403, 404):  # a 405 (a form that only posts) is reached
            unreachable.append(f"{name}: {response.status_code}")
    assert unreachable == []
