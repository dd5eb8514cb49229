"""Publishing the manifest freezes the task: the service refuses an edit, and so does the database."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspections.draw.algorithm import sha256_hex
from inspections.models import DrawManifest, InspectionTask, SecretCommitment
from inspections.services import commitment_add, task_create, task_manifest_publish, task_update
from registry.models import Enterprise
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory
from tests.inspections.helpers import VIA, commitment_of, item_for, make_task

pytestmark = pytest.mark.django_db


def publish(task):
    return task_manifest_publish(task=task, actor=SYSTEM, via=VIA)


def test_publishing_writes_the_manifest_and_freezes_the_task():
    task = make_task(candidates=30)
    manifest = publish(task)
    task.refresh_from_db()
    assert task.state == InspectionTask.State.MANIFEST_PUBLISHED
    assert task.manifest_published_at == manifest.published_at
    document = json.loads(manifest.document)
    assert manifest.sha256 == sha256_hex(manifest.document)
    assert document["candidates"] == {
        "sha256": sha256_hex(bytes(manifest.candidates)),
        "count": 30,
        "format": "one 'USCC,STRATUM' line per candidate, STRATUM the number of its ratio group, "
        "LF-terminated, ordered by USCC",
    }
    # Every enterprise is class B (10 %); the strata are the ratios in increasing order, by number.
    assert document["strata"] == [
        {"stratum": 1, "ratio": "3.00", "candidates": 0, "targets": 0},
        {"stratum": 2, "ratio": "10.00", "candidates": 30, "targets": 3},
        {"stratum": 3, "ratio": "25.00", "candidates": 0, "targets": 0},
        {"stratum": 4, "ratio": "65.00", "candidates": 0, "targets": 0},
    ]
    assert [c["party"] for c in document["commitments"]] == ["Party 1", "Party 2"]
    assert document["recusal_rules"] == ["holds_post", "declared_conflict", "inspected_last_task"]
    assert document["algorithm"] == "dr-sha256-v2" and document["redraw_rule"]
    assert len(document["departments"][0]["inspectors"]) == 6
    lines = bytes(manifest.candidates).decode().splitlines()
    assert lines == sorted(lines) and all(line.endswith(",2") for line in lines)


def test_the_manifest_is_ascii_and_keeps_no_certificate_number():
    task = make_task(candidates=5, ratio_b=50)
    manifest = publish(task)
    manifest.document.encode("ascii")
    assert "certificate" not in manifest.document


def test_raised_ratio_puts_abnormal_listed_enterprises_in_their_own_stratum():
    from tests.factories import AbnormalListingFactory, EnterpriseFactory

    task = make_task(candidates=10, ratio_abnormal=60)
    listed = EnterpriseFactory()
    AbnormalListingFactory(enterprise=listed, listing_agency=task.plan.agency)
    manifest = publish(task)
    document = json.loads(manifest.document)
    plus = next(row for row in document["strata"] if row["ratio"] == "60.00")
    assert plus == {"stratum": 4, "ratio": "60.00", "candidates": 1, "targets": 1}
    assert f"{listed.uscc},4\n".encode() in bytes(manifest.candidates)


def test_the_manifest_and_candidate_file_name_no_risk_class():
    """Classes stay internal: classes sharing a ratio share a stratum, and nothing names a class."""
    from tests.factories import AbnormalListingFactory, EnterpriseFactory

    task = make_task(candidates=6, ratio_a=10, ratio_b=10, ratio_c=10, ratio_d=10, ratio_abnormal=10)
    AbnormalListingFactory(enterprise=EnterpriseFactory(), listing_agency=task.plan.agency)
    manifest = publish(task)
    document = json.loads(manifest.document)
    assert document["strata"] == [{"stratum": 1, "ratio": "10.00", "candidates": 7, "targets": 1}]
    assert set(bytes(manifest.candidates).decode().split("\n")[:-1]) == {
        f"{uscc},1" for uscc in Enterprise.objects.values_list("uscc", flat=True)
    }
    assert '"B"' not in manifest.document and '"B+"' not in manifest.document


def test_editing_a_published_task_is_refused_by_the_service():
    task = make_task()
    publish(task)
    with pytest.raises(ValidationError, match="its manifest was published"):
        task_update(task=task, actor=SYSTEM, via=VIA, ratio_b=50)
    with pytest.raises(ValidationError, match="its manifest was published"):
        task_update(task=task, actor=SYSTEM, via=VIA, items=[])
    with pytest.raises(ValidationError, match="its manifest was published"):
        commitment_add(task=task, party="Late", commitment=commitment_of("c" * 64), actor=SYSTEM, via=VIA)
    task.refresh_from_db()
    assert task.ratio_b == 10 and task.items.count() == 1 and task.commitments.count() == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE inspections_inspectiontask SET ratio_b = 50 WHERE id = %s",
        "UPDATE inspections_inspectiontask SET state = 'draft', manifest_published_at = NULL WHERE id = %s",
        "DELETE FROM inspections_inspectiontask_items WHERE inspectiontask_id = %s",
        "UPDATE inspections_secretcommitment SET commitment = repeat('0', 64) WHERE task_id = %s",
        "DELETE FROM inspections_secretcommitment WHERE task_id = %s",
        "UPDATE inspections_drawmanifest SET candidate_count = 1 WHERE task_id = %s",
        "DELETE FROM inspections_drawmanifest WHERE task_id = %s",
        "DELETE FROM inspections_inspectiontask WHERE id = %s",
    ],
)
def test_the_database_refuses_any_change_after_the_manifest(statement):
    task = make_task(candidates=10)
    publish(task)
    from django.db import connection

    with (
        pytest.raises(IntegrityError, match=r"cannot be changed|cannot be deleted|cannot go back"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [task.pk])


def test_the_database_still_lets_a_draft_change():
    task = make_task(candidates=0)
    InspectionTask.objects.filter(pk=task.pk).update(ratio_b=20)
    task.items.clear()
    assert task.items.count() == 0


def test_a_task_with_no_item_cannot_be_published():
    task = make_task(with_items=False)
    with pytest.raises(ValidationError, match="at least one inspection item"):
        publish(task)
    assert not DrawManifest.objects.exists()
    task.refresh_from_db()
    assert task.state == InspectionTask.State.DRAFT


def test_fewer_than_two_commitments_are_refused():
    task = make_task(secrets=("a" * 64,))
    with pytest.raises(ValidationError, match="At least 2 parties"):
        publish(task)


def test_a_roster_too_small_is_refused_with_the_numbers():
    task = make_task(candidates=40, inspectors=3, ratio_b=100, max_targets_per_inspector=20)
    with pytest.raises(ValidationError) as error:
        publish(task)
    assert error.value.messages == [
        "The roster has 3 eligible inspectors; 40 targets need at least 2 each with at most 20 per inspector."
    ]
    assert not DrawManifest.objects.exists()


def test_inactive_inspectors_do_not_count():
    task = make_task(candidates=10, inspectors=3, ratio_b=100)
    task.plan.agency.inspectors.filter(name="检查员0").update(active=False)
    publish(task)
    document = json.loads(DrawManifest.objects.get(task=task).document)
    assert len(document["departments"][0]["inspectors"]) == 2


@pytest.mark.parametrize("ratio", [-1, 101, "100.5"])
def test_a_ratio_outside_0_to_100_is_refused(ratio):
    agency = AgencyFactory()
    task = make_task(agency=agency, candidates=0, secrets=())
    with pytest.raises(ValidationError, match="percentage between 0 and 100"):
        task_update(task=task, actor=SYSTEM, via=VIA, ratio_c=ratio)


def test_the_database_refuses_a_ratio_outside_0_to_100():
    task = make_task(candidates=0, secrets=())
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionTask.objects.filter(pk=task.pk).update(ratio_a=150)


def test_fewer_than_two_inspectors_per_target_is_refused():
    agency = AgencyFactory()
    plan = make_task(agency=agency, candidates=0, secrets=()).plan
    with pytest.raises(ValidationError, match="between 2 and 10 inspectors"):
        task_create(
            actor=SYSTEM,
            via=VIA,
            plan=plan,
            name_en="x task",
            name_zh="任务",
            complete_by="2026-12-31",
            inspectors_per_target=1,
            items=[item_for(agency, "另一事项")],
        )


def test_a_commitment_must_be_a_sha256():
    task = make_task(candidates=0, secrets=())
    with pytest.raises(ValidationError, match="64 lower-case hexadecimal"):
        commitment_add(task=task, party="Office", commitment="not-a-hash", actor=SYSTEM, via=VIA)
    assert not SecretCommitment.objects.exists()


def test_a_clerk_of_another_agency_cannot_change_or_publish_the_task(django_user_model):
    from django.core.exceptions import PermissionDenied

    from accounts.models import AgencyMembership

    task = make_task(candidates=5)
    other = django_user_model.objects.create_user("other-clerk", is_staff=True)
    AgencyMembership.objects.create(user=other, agency=AgencyFactory())
    with pytest.raises(PermissionDenied):
        task_update(task=task, actor=other, via=VIA, ratio_b=20)
    with pytest.raises(PermissionDenied):
        task_manifest_publish(task=task, actor=other, via=VIA)
