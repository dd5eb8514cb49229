"""Public pages and the read-only API: what is shown, what is not, and in how many queries."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from inspections.models import InspectionTask, ResultCategory
from inspections.services import result_publish, result_record
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory
from tests.inspections.helpers import VIA, drawn, inspectors_for, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def publish_first(task, code="no_problem", detail=""):
    target = task.targets.filter(replaced=False).select_related("enterprise").order_by("position").first()
    result = result_record(
        task=task,
        enterprise=target.enterprise,
        category=ResultCategory.objects.get(code=code, in_use=True),
        inspected_on=timezone.localdate(),
        detail=detail,
        actor=SYSTEM,
        via=VIA,
    )
    return result_publish(result=result, actor=SYSTEM, via=VIA)


@pytest.fixture
def joint_task():
    lead, partner = AgencyFactory(name_en="Market Regulation", name_zh="市场监管局"), AgencyFactory()
    inspectors_for(partner, 6, prefix="协查员")
    task = make_task(agency=lead, joint=[partner], candidates=120)
    drawn(task)
    return task


def test_task_page_shows_the_draw_verified_with_names_but_no_certificate_numbers(client, joint_task):
    result = publish_first(joint_task)
    page = client.get(reverse("portal:inspection-task", args=[joint_task.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Verified" in html
    assert joint_task.manifest.sha256 in html and joint_task.seed in html
    assert all(c.secret in html and c.commitment in html for c in joint_task.commitments.all())
    assignment = result.target.assignments.select_related("inspector").first()
    assert assignment.inspector.name in html
    assert assignment.inspector.certificate_number not in html
    assert result.target.enterprise.uscc in html
    assert "No problem found" in html and "未发现问题" not in html
    assert "no_problem" not in html


def test_a_clerk_sees_certificate_numbers_on_the_task_page(client, joint_task):
    clerk = get_user_model().objects.create_user("clerk", password="pw-123456789", is_staff=True)
    client.force_login(clerk)
    assignment = (
        joint_task.targets.order_by("position").first().assignments.select_related("inspector").first()
    )
    html = client.get(reverse("portal:inspection-task", args=[joint_task.pk])).content.decode()
    assert assignment.inspector.certificate_number in html


def test_task_page_queries_do_not_grow_with_the_targets(client, django_assert_max_num_queries, joint_task):
    publish_first(joint_task)
    url = reverse("portal:inspection-task", args=[joint_task.pk])
    client.get(url)  # the verification is computed once and kept
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(url + "?page=2").status_code in (200,)


def test_a_draft_task_is_not_public(client):
    task = make_task(candidates=10, inspectors=4)
    assert client.get(reverse("portal:inspection-task", args=[task.pk])).status_code == 404
    assert client.get(reverse("inspections-api:task", args=[task.pk])).status_code == 404
    assert client.get(reverse("portal:inspection-draw", args=[task.pk])).status_code == 404


def test_a_task_waiting_for_its_secrets_shows_the_commitments_only(client):
    from inspections.services import task_manifest_publish

    task = make_task(candidates=20, inspectors=4)
    task_manifest_publish(task=task, actor=SYSTEM, via=VIA)
    html = client.get(reverse("portal:inspection-task", args=[task.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"not revealed yet" in html
    assert b"Verified" not in html
    candidates = client.get(reverse("portal:inspection-candidates", args=[task.pk]))
    assert candidates.content.count(b"\n") == 20


def test_the_draw_record_and_candidate_file_download_match_the_manifest(client, joint_task):
    import hashlib

    record = json.loads(client.get(reverse("portal:inspection-draw", args=[joint_task.pk])).content)
    assert record["format"] == "inspection-draw/2"
    assert record["seed"] == joint_task.seed
    assert len(record["targets"]) == joint_task.targets.count()
    candidates = client.get(reverse("inspections-api:task-candidates", args=[joint_task.pk])).content
    assert hashlib.sha256(candidates).hexdigest() == record["candidates_sha256"]
    assert client.get(reverse("inspections-api:task-draw", args=[joint_task.pk])).json() == record


def test_agency_page_lists_items_plans_and_published_tasks_only(client, joint_task):
    agency = joint_task.plan.agency
    make_task(
        agency=agency, candidates=0, inspectors=0, with_items=False, name_zh="草稿任务", name_en="Draft task"
    )
    html = client.get(
        reverse("portal:inspection-agency", args=[agency.short_code]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert joint_task.name_zh in html
    assert "草稿任务" not in html
    assert "企业公示信息抽查" in html
    index = client.get(reverse("portal:inspections")).content.decode()
    assert reverse("portal:inspection-agency", args=[agency.short_code]) in index


def test_api_task_detail_targets_and_results(client, django_assert_max_num_queries, joint_task):
    result = publish_first(joint_task, detail="现场核查")
    detail = client.get(reverse("inspections-api:task", args=[joint_task.pk])).json()
    assert detail["verification"]["verified"] is True
    assert detail["results"]["published"] == 1
    strata = {row["stratum"] for row in detail["manifest"]["strata"]}
    assert strata and all(stratum.isdigit() for stratum in strata)  # numbers, never a risk class
    assert [c["secret"] for c in detail["commitments"]] == [c.secret for c in joint_task.commitments.all()]
    with django_assert_max_num_queries(12):
        targets = client.get(reverse("inspections-api:task-targets", args=[joint_task.pk])).json()
    first = targets["results"][0]
    assert len(first["inspectors"]) == 2
    assert "certificate_number" not in first["inspectors"][0]
    assert first["results"][0]["result_en"] == "No problem found"
    results = client.get(reverse("inspections-api:results"), {"uscc": result.target.enterprise.uscc}).json()
    assert results["count"] == 1 and results["results"][0]["detail"] == "现场核查"
    assert client.get(reverse("inspections-api:results"), {"uscc": "bad"}).status_code == 400


def test_api_lists_items_plans_and_tasks(client, joint_task):
    agency = joint_task.plan.agency
    items = client.get(reverse("inspections-api:items"), {"agency": agency.short_code}).json()
    assert items["count"] == 1
    plans = client.get(reverse("inspections-api:plans"), {"agency": agency.short_code}).json()
    assert [task["id"] for task in plans["results"][0]["tasks"]] == [joint_task.pk]
    tasks = client.get(reverse("inspections-api:tasks")).json()
    assert tasks["results"][0]["state"] == InspectionTask.State.DRAWN
    bad = client.get(reverse("inspections-api:items"), {"agency": "no-such-agency"})
    assert bad.status_code == 404 and "no-such-agency" in bad.content.decode()


def test_the_schema_holds_the_inspection_endpoints(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in ("items", "plans", "tasks", "tasks/{id}", "tasks/{id}/targets", "tasks/{id}/draw", "results"):
        assert f"/api/v1/inspections/{path}/" in schema["paths"]


def test_the_profile_shows_task_items_result_and_dates(client, joint_task):
    result = publish_first(joint_task, "corrected")
    page = client.get(
        reverse("portal:enterprise", args=[result.target.enterprise.uscc]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = page.content.decode()
    assert "发现问题经责令已改正" in html
    assert joint_task.name_zh in html and "企业公示信息抽查" in html
    assert reverse("portal:inspection-task", args=[joint_task.pk]) in html
