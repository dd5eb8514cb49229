"""Admin: a clerk sees and changes only their own agency's item list, roster, plans and tasks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from accounts.models import AgencyMembership
from inspections.models import InspectionItem, InspectionTask, Inspector, SecretCommitment
from tests.factories import AgencyFactory
from tests.inspections.helpers import SECRETS, make_task

pytestmark = pytest.mark.django_db


def clerk_of(agency, client, username="clerk"):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="inspections"))
    AgencyMembership.objects.create(user=user, agency=agency)
    client.force_login(user)
    return user


@pytest.fixture
def two_agencies():
    ours, theirs = AgencyFactory(), AgencyFactory()
    return make_task(agency=ours, candidates=10), make_task(agency=theirs, candidates=0)


@pytest.mark.parametrize("model", ["inspectiontask", "inspector", "inspectionitem", "annualplan"])
def test_a_clerk_lists_only_their_agencys_rows(client, two_agencies, model):
    ours, theirs = two_agencies
    clerk_of(ours.plan.agency, client)
    response = client.get(reverse(f"admin:inspections_{model}_changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    table = {"inspectiontask": InspectionTask, "inspector": Inspector, "inspectionitem": InspectionItem}
    if model == "annualplan":
        assert shown == {ours.plan_id}
        return
    rows = table[model].objects
    agency_path = "plan__agency" if model == "inspectiontask" else "agency"
    assert shown == set(rows.filter(**{agency_path: ours.plan.agency}).values_list("pk", flat=True))
    assert shown.isdisjoint(rows.filter(**{agency_path: theirs.plan.agency}).values_list("pk", flat=True))


def test_a_clerk_cannot_open_another_agencys_draft_task_or_inspector(client, two_agencies):
    ours, theirs = two_agencies
    clerk_of(ours.plan.agency, client)
    assert client.get(reverse("admin:inspections_inspectiontask_change", args=[theirs.pk])).status_code == 403
    inspector = Inspector.objects.filter(agency=theirs.plan.agency).first()
    assert client.get(reverse("admin:inspections_inspector_change", args=[inspector.pk])).status_code == 403
    response = client.post(
        reverse("admin:inspections_inspectiontask_changelist"),
        {"action": "publish_manifest", "_selected_action": [theirs.pk]},
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.state == InspectionTask.State.DRAFT


def test_a_clerk_cannot_add_an_inspector_to_another_agency(client, two_agencies):
    ours, theirs = two_agencies
    clerk_of(ours.plan.agency, client)
    response = client.post(
        reverse("admin:inspections_inspector_add"),
        {"agency": theirs.plan.agency_id, "name": "王强", "certificate_number": "ZF-999999", "active": "on"},
    )
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not Inspector.objects.filter(certificate_number="ZF-999999").exists()


def test_a_clerk_publishes_reveals_and_draws_from_admin(client, two_agencies):
    ours, _ = two_agencies
    clerk_of(ours.plan.agency, client)
    changelist = reverse("admin:inspections_inspectiontask_changelist")
    client.post(changelist, {"action": "publish_manifest", "_selected_action": [ours.pk]})
    ours.refresh_from_db()
    assert ours.state == InspectionTask.State.MANIFEST_PUBLISHED
    # A published task opens read-only: no field can be changed any more.
    page = client.get(reverse("admin:inspections_inspectiontask_change", args=[ours.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    for commitment, secret in zip(ours.commitments.order_by("order"), SECRETS, strict=True):
        url = reverse("admin:inspections_secretcommitment_change", args=[commitment.pk])
        wrong = client.post(url, {"secret": "c" * 64})
        assert wrong.status_code == 200
        assert "does not match its commitment" in wrong.content.decode()
        client.post(url, {"secret": secret})
    assert not SecretCommitment.objects.filter(task=ours, secret="").exists()
    client.post(changelist, {"action": "draw", "_selected_action": [ours.pk]})
    ours.refresh_from_db()
    assert ours.state == InspectionTask.State.DRAWN
    assert client.get(reverse("admin:inspections_drawntarget_changelist")).status_code == 200
