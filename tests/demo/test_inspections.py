"""The demo inspections: a published item list, a plan, a joint task drawn with published results
(verified), and a task waiting for its secrets; a second run with --if-empty writes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from inspections.models import AnnualPlan, InspectionItem, InspectionResult, InspectionTask
from inspections.services import draw_verify
from tests.demo.helpers import generate

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_drawn_joint_task_with_results_and_one_awaiting_secrets(client):
    generate(seed=5)
    out = StringIO()
    call_command("generate_demo_inspections", seed=1, if_empty=True, stdout=out)
    assert "drawn with" in out.getvalue()
    assert InspectionItem.objects.filter(published=True).count() >= 3
    assert AnnualPlan.objects.filter(published=True).exists()
    drawn = InspectionTask.objects.get(state=InspectionTask.State.DRAWN)
    assert drawn.joint_agencies.exists()
    assert draw_verify(task=drawn).ok
    assert InspectionResult.objects.filter(published_at__isnull=False).count() >= 5
    assert InspectionResult.objects.filter(published_at__isnull=True).exists()
    waiting = InspectionTask.objects.get(state=InspectionTask.State.MANIFEST_PUBLISHED)
    assert not waiting.commitments.exclude(secret="").exists()
    assert client.get(reverse("portal:inspection-task", args=[drawn.pk])).status_code == 200
    assert client.get(reverse("portal:inspection-task", args=[waiting.pk])).status_code == 200

    again = StringIO()
    call_command("generate_demo_inspections", seed=1, if_empty=True, stdout=again)
    assert "nothing generated" in again.getvalue()
    assert InspectionTask.objects.count() == 2
