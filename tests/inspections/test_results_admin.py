"""The results admin: a clerk records and publishes their agency's results and never sees
another agency's unpublished ones."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import AgencyMembership
from inspections.models import InspectionResult, ResultCategory
from inspections.services import result_record
from registry.models import InspectionRecord
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.inspections.helpers import VIA, drawn, make_task

pytestmark = pytest.mark.django_db


def clerk_of(agency, client):
    user = get_user_model().objects.create_user(f"clerk-{agency.pk}", password="pw-123456789", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="inspections"))
    AgencyMembership.objects.create(user=user, agency=agency)
    client.force_login(user)
    return user


@pytest.fixture
def task():
    task = make_task(candidates=30, inspectors=6)
    drawn(task)
    return task


def first_target(task):
    return task.targets.filter(replaced=False).select_related("enterprise").order_by("position").first()


def add_form(task, uscc, category="no_problem"):
    return {
        "task": task.pk,
        "uscc": uscc,
        "category": ResultCategory.objects.get(code=category, in_use=True).pk,
        "inspected_on": timezone.localdate().isoformat(),
        "detail": "",
    }


def test_a_clerk_records_and_publishes_a_result_in_admin(client, task):
    clerk_of(task.plan.agency, client)
    target = first_target(task)
    response = client.post(
        reverse("admin:inspections_inspectionresult_add"), add_form(task, target.enterprise.uscc)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    result = InspectionResult.objects.get()
    response = client.post(
        reverse("admin:inspections_inspectionresult_changelist"),
        {"action": "publish", "_selected_action": [result.pk]},
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.is_published
    assert InspectionRecord.objects.get(enterprise=target.enterprise).result == "no_problem"


def test_a_result_for_an_enterprise_not_drawn_is_a_form_error(client, task):
    clerk_of(task.plan.agency, client)
    outsider = EnterpriseFactory()
    response = client.post(reverse("admin:inspections_inspectionresult_add"), add_form(task, outsider.uscc))
    assert response.status_code == 200
    assert "was not drawn in the task" in response.content.decode()
    assert not InspectionResult.objects.exists()


def test_a_clerk_sees_neither_another_agencys_results_nor_its_tasks(client, task):
    result_record(
        task=task,
        enterprise=first_target(task).enterprise,
        category=ResultCategory.objects.get(code="no_problem", in_use=True),
        inspected_on=timezone.localdate(),
        actor=SYSTEM,
        via=VIA,
    )
    result = InspectionResult.objects.get()
    clerk_of(AgencyFactory(), client)
    changelist = client.get(reverse("admin:inspections_inspectionresult_changelist"))
    assert changelist.status_code == 200
    assert first_target(task).enterprise.name not in changelist.content.decode()
    assert client.get(reverse("admin:inspections_inspectionresult_change", args=[result.pk])).status_code in (
        403,
        404,
    )
    add = client.get(reverse("admin:inspections_inspectionresult_add")).content.decode()
    assert f'<option value="{task.pk}">{task.name_zh}</option>' not in add
    response = client.post(
        reverse("admin:inspections_inspectionresult_changelist"),
        {"action": "publish", "_selected_action": [result.pk]},
    )
    result.refresh_from_db()
    assert not result.is_published
    assert response.status_code in (200, 302)
