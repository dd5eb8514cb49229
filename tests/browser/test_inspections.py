"""A market-regulation clerk runs a random inspection task through admin, from the plan to a
published result: plan, task, two parties' commitments, the manifest, the secrets, the draw, the
result. The public task page then shows the draw verified and the result, and the enterprise's
profile shows it too; the public pages have no accessibility violations."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from accounts.clerk_roles import MARKET_REGULATION_CLERK
from accounts.models import AgencyMembership
from accounts.services import clerk_groups_ensure
from inspections.models import InspectionResult, InspectionTask
from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from tests.browser.support import axe_check, describe_violations
from tests.factories import AgencyFactory
from tests.inspections.helpers import enterprises, inspectors_for, item_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECRETS = {"市场监管局": "1" * 64, "驻局纪检监察组": "2" * 64}


def market_clerk(agency) -> User:
    groups = clerk_groups_ensure(actor=SYSTEM, via=AuditEntry.Via.COMMAND)
    user = User.objects.create_user("county-clerk", password="pw-123456789", is_staff=True)
    user.groups.add(groups[MARKET_REGULATION_CLERK])
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def submit(page) -> None:
    page.locator("input[name=_save]").click()
    expect(page.locator(".errornote")).to_have_count(0)


def run_action(page, changelist: str, pk: int, action: str) -> None:
    page.goto(changelist)
    page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist .error")).to_have_count(0)


def assert_accessible(page) -> None:
    violations = axe_check(page)
    assert not violations, describe_violations(violations)


def test_a_clerk_runs_a_task_from_plan_to_published_result(signed_in_page, new_page):
    agency = AgencyFactory(name_en="Demo County Market Regulation", name_zh="示范县市场监管局")
    item = item_for(agency)
    inspectors_for(agency, 6)
    enterprises(20)
    page = signed_in_page(market_clerk(agency), locale="en-US")

    page.goto("/admin/inspections/annualplan/add/")
    page.locator("#id_agency").select_option(str(agency.pk))
    page.fill("#id_year", "2026")
    page.fill("#id_title_en", "Inspection plan 2026")
    page.fill("#id_title_zh", "2026年抽查计划")
    page.locator("#id_published").check()
    submit(page)

    page.goto("/admin/inspections/inspectiontask/add/")
    page.locator("#id_plan").select_option(label="2026 2026年抽查计划")
    page.fill("#id_name_en", "Disclosure spot check")
    page.fill("#id_name_zh", "企业公示信息抽查任务")
    page.locator("#id_items_from option", has_text=item.name_zh).dblclick()
    page.fill("#id_ratio_b", "10")
    page.fill("#id_complete_by", "2026-12-31")
    submit(page)
    task = InspectionTask.objects.get()
    assert list(task.items.all()) == [item]

    for party, secret in SECRETS.items():
        page.goto("/admin/inspections/secretcommitment/add/")
        page.locator("#id_task").select_option(str(task.pk))
        page.fill("#id_party", party)
        page.fill("#id_commitment", hashlib.sha256(secret.encode()).hexdigest())
        submit(page)

    run_action(page, "/admin/inspections/inspectiontask/", task.pk, "publish_manifest")
    for commitment in task.commitments.order_by("order"):
        page.goto(f"/admin/inspections/secretcommitment/{commitment.pk}/change/")
        page.fill("#id_secret", SECRETS[commitment.party])
        submit(page)
    run_action(page, "/admin/inspections/inspectiontask/", task.pk, "draw")
    task.refresh_from_db()
    assert task.state == InspectionTask.State.DRAWN
    target = task.targets.filter(replaced=False).select_related("enterprise").order_by("position").first()

    page.goto("/admin/inspections/inspectionresult/add/")
    page.locator("#id_task").select_option(str(task.pk))
    page.fill("#id_uscc", target.enterprise.uscc)
    page.locator("#id_category").select_option(label="发现问题经责令已改正")
    page.fill("#id_inspected_on", timezone.localtime(task.drawn_at).date().isoformat())
    page.fill("#id_detail", "现场核查，已责令改正")
    submit(page)
    result = InspectionResult.objects.get()
    run_action(page, "/admin/inspections/inspectionresult/", result.pk, "publish")
    result.refresh_from_db()
    assert result.is_published

    public = new_page(locale="en-US")
    public.goto("/inspections/")
    public.get_by_role("link", name="Disclosure spot check").first.click()
    expect(public.locator("h1")).to_have_text("Disclosure spot check")
    expect(public.locator(".badge.verified")).to_have_text("Verified")
    row = public.locator("tr", has_text=target.enterprise.uscc)
    expect(row).to_contain_text("Problems found and corrected when ordered")
    assert_accessible(public)

    public.get_by_role("link", name=target.enterprise.name).first.click()
    inspections = public.locator("#inspections")
    expect(inspections).to_contain_text("Problems found and corrected when ordered")
    expect(inspections).to_contain_text("Disclosure spot check")
    assert_accessible(public)
