"""The draw through the services: once, from revealed secrets, with every recusal recorded."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from inspections.draw.algorithm import seed_from
from inspections.models import DrawnTarget, Exclusion, InspectionTask, Inspector, InspectorAssignment
from inspections.services import (
    conflict_declare,
    draw_verify,
    secret_reveal,
    task_beacon_set,
    task_draw,
    task_manifest_publish,
)
from registry.models import Enterprise
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, KeyPersonnelFactory, PersonFactory, ShareholderFactory
from tests.inspections.helpers import (
    SECRETS,
    VIA,
    commitment_of,
    drawn,
    inspectors_for,
    make_task,
    reveal_all,
)

pytestmark = pytest.mark.django_db


def pairs(task) -> set[tuple[int, int]]:
    return set(
        InspectorAssignment.objects.filter(target__task=task).values_list(
            "target__enterprise_id", "inspector_id"
        )
    )


def test_a_draw_writes_targets_assignments_and_the_seed():
    task = make_task(candidates=40, inspectors=6)
    outcome = drawn(task)
    assert task.state == InspectionTask.State.DRAWN
    assert task.seed == seed_from(task.manifest.sha256, SECRETS)
    assert task.seed == outcome.seed
    targets = list(DrawnTarget.objects.filter(task=task))
    assert len(targets) == 4  # ceil(40 * 10 %)
    assert [t.position for t in targets] == [1, 2, 3, 4]
    assert all(t.risk_class == "B" for t in targets)
    assignments = InspectorAssignment.objects.filter(target__task=task)
    assert assignments.count() == 8
    for target in targets:
        assert target.assignments.values("inspector").distinct().count() == 2
    assert draw_verify(task=task).ok


def test_secrets_that_do_not_match_are_refused_and_nothing_is_written():
    task = make_task()
    task_manifest_publish(task=task, actor=SYSTEM, via=VIA)
    first = task.commitments.get(order=1)
    with pytest.raises(ValidationError) as error:
        secret_reveal(commitment=first, secret="c" * 64, actor=SYSTEM, via=VIA)
    assert "does not match its commitment" in " ".join(error.value.messages)
    assert "Party 1" in " ".join(error.value.messages)
    first.refresh_from_db()
    assert first.secret == ""
    with pytest.raises(ValidationError, match="64 hexadecimal"):
        secret_reveal(commitment=first, secret="short", actor=SYSTEM, via=VIA)


def test_a_draw_waits_for_every_secret():
    task = make_task()
    with pytest.raises(ValidationError, match="manifest is not published"):
        task_draw(task=task, actor=SYSTEM, via=VIA)
    task_manifest_publish(task=task, actor=SYSTEM, via=VIA)
    secret_reveal(commitment=task.commitments.get(order=1), secret=SECRETS[0], actor=SYSTEM, via=VIA)
    with pytest.raises(ValidationError, match="secrets of Party 2 are not revealed"):
        task_draw(task=task, actor=SYSTEM, via=VIA)
    assert not DrawnTarget.objects.exists()


def test_a_second_draw_is_refused():
    task = make_task()
    drawn(task)
    before = list(DrawnTarget.objects.values_list("enterprise_id", flat=True))
    with pytest.raises(ValidationError, match="already drawn"):
        task_draw(task=task, actor=SYSTEM, via=VIA)
    assert list(DrawnTarget.objects.values_list("enterprise_id", flat=True)) == before


def test_the_database_refuses_draw_rows_outside_the_draw():
    task = make_task()
    drawn(task)
    target = DrawnTarget.objects.filter(task=task).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DrawnTarget.objects.filter(pk=target.pk).update(position=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectorAssignment.objects.filter(target=target).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inspections_drawntarget (task_id, enterprise_id, position, risk_class,"
            " abnormal_listed, stream_index, replaced) VALUES (%s, %s, 100, 'B', false, 0, false)",
            [task.pk, Enterprise.objects.exclude(pk__in=[target.enterprise_id]).first().pk],
        )


def test_a_beacon_named_in_the_manifest_enters_the_seed():
    task = make_task(beacon_source="Welfare lottery draw of 2026-12-08")
    task_manifest_publish(task=task, actor=SYSTEM, via=VIA)
    reveal_all(task)
    task.refresh_from_db()
    assert task.state == InspectionTask.State.MANIFEST_PUBLISHED  # still waiting for the beacon
    with pytest.raises(ValidationError, match="beacon value is not entered"):
        task_draw(task=task, actor=SYSTEM, via=VIA)
    task_beacon_set(task=task, beacon="03 11 19 24 27 31", actor=SYSTEM, via=VIA)
    task_draw(task=task, actor=SYSTEM, via=VIA)
    task.refresh_from_db()
    assert task.seed == seed_from(task.manifest.sha256, SECRETS, "03 11 19 24 27 31")
    with pytest.raises(ValidationError, match="already entered"):
        task_beacon_set(task=task, beacon="other", actor=SYSTEM, via=VIA)


def test_other_secrets_give_another_draw():
    agency = AgencyFactory()
    first = make_task(agency=agency, candidates=60, inspectors=6)
    second = make_task(agency=agency, candidates=0, inspectors=0, secrets=("a" * 64, "c" * 64))
    drawn(first)
    drawn(second, secrets=("a" * 64, "c" * 64))
    # Same candidates and roster, one secret changed: the seed and the draw differ.
    assert first.manifest.candidates_sha256 == second.manifest.candidates_sha256
    assert first.seed != second.seed
    order = lambda task: list(DrawnTarget.objects.filter(task=task).values_list("enterprise_id", flat=True))  # noqa: E731
    assert order(first) != order(second)


def test_one_more_candidate_changes_the_manifest_and_the_draw():
    from tests.factories import EnterpriseFactory

    agency = AgencyFactory()
    first = make_task(agency=agency, candidates=60, inspectors=6)
    task_manifest_publish(task=first, actor=SYSTEM, via=VIA)
    EnterpriseFactory()
    second = make_task(agency=agency, candidates=0, inspectors=0)
    task_manifest_publish(task=second, actor=SYSTEM, via=VIA)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.manifest.candidate_count + 1 == second.manifest.candidate_count
    assert first.manifest.sha256 != second.manifest.sha256
    reveal_all(first)
    reveal_all(second)
    task_draw(task=first, actor=SYSTEM, via=VIA)
    task_draw(task=second, actor=SYSTEM, via=VIA)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.seed != second.seed


def test_the_same_published_inputs_give_the_same_draw_again():
    task = make_task(candidates=50)
    outcome = drawn(task)
    again = draw_verify(task=task)
    assert again.ok and again.seed == outcome.seed


# --- recusals ---------------------------------------------------------------------------------------


def linked_inspectors(task, count=3):
    return list(Inspector.objects.filter(agency=task.plan.agency).order_by("pk")[:count])


@pytest.mark.parametrize("post", ["legal_representative", "shareholder", "key_personnel"])
def test_an_inspector_holding_a_post_in_the_enterprise_is_recused(post):
    task = make_task(candidates=4, inspectors=3, ratio_b=100)
    inspector = linked_inspectors(task)[0]
    person = PersonFactory()
    Inspector.objects.filter(pk=inspector.pk).update(person=person)
    enterprise = Enterprise.objects.order_by("pk").first()
    if post == "legal_representative":
        Enterprise.objects.filter(pk=enterprise.pk).update(legal_representative_person=person)
    elif post == "shareholder":
        ShareholderFactory(enterprise=enterprise, kind="person", person=person)
    else:
        KeyPersonnelFactory(enterprise=enterprise, person=person)
    drawn(task)
    assert (enterprise.pk, inspector.pk) not in pairs(task)
    exclusion = Exclusion.objects.get(task=task, enterprise=enterprise, inspector=inspector)
    assert exclusion.reason == Exclusion.Reason.HOLDS_POST
    assert draw_verify(task=task).ok


def test_a_post_left_before_the_draw_does_not_recuse():
    task = make_task(candidates=4, inspectors=3, ratio_b=100)
    inspector = linked_inspectors(task)[0]
    person = PersonFactory()
    Inspector.objects.filter(pk=inspector.pk).update(person=person)
    enterprise = Enterprise.objects.order_by("pk").first()
    KeyPersonnelFactory(
        enterprise=enterprise, person=person, appointed_on=dt.date(2010, 1, 1), left_on=dt.date(2012, 1, 1)
    )
    drawn(task)
    assert not Exclusion.objects.filter(task=task, inspector=inspector).exists()


def test_a_declared_conflict_recuses_the_inspector():
    task = make_task(candidates=4, inspectors=3, ratio_b=100)
    inspector = linked_inspectors(task)[1]
    enterprise = Enterprise.objects.order_by("pk").last()
    conflict_declare(
        actor=SYSTEM, via=VIA, inspector=inspector, enterprise=enterprise, reason="配偶在该企业任职"
    )
    drawn(task)
    assert (enterprise.pk, inspector.pk) not in pairs(task)
    assert Exclusion.objects.get(task=task, inspector=inspector).reason == Exclusion.Reason.DECLARED_CONFLICT


def test_a_conflict_declared_after_the_manifest_does_not_change_the_draw():
    task = make_task(candidates=4, inspectors=3, ratio_b=100)
    task_manifest_publish(task=task, actor=SYSTEM, via=VIA)
    conflict_declare(
        actor=SYSTEM,
        via=VIA,
        inspector=linked_inspectors(task)[0],
        enterprise=Enterprise.objects.first(),
        reason="late",
    )
    reveal_all(task)
    task_draw(task=task, actor=SYSTEM, via=VIA)
    assert not Exclusion.objects.filter(task=task).exists()


def test_an_inspector_of_the_enterprises_last_task_is_recused():
    agency = AgencyFactory()
    earlier = make_task(agency=agency, candidates=3, inspectors=4, ratio_b=100)
    drawn(earlier)
    later = make_task(agency=agency, candidates=0, inspectors=0, ratio_b=100)
    drawn(later)
    earlier_pairs = pairs(earlier)
    assert earlier_pairs.isdisjoint(pairs(later))
    recused = set(
        Exclusion.objects.filter(task=later, reason=Exclusion.Reason.INSPECTED_LAST_TASK).values_list(
            "enterprise_id", "inspector_id"
        )
    )
    assert recused == earlier_pairs
    assert draw_verify(task=later).ok


def test_a_target_left_without_eligible_inspectors_is_excluded_and_replaced():
    task = make_task(candidates=20, inspectors=2, ratio_b=10)
    blocked_inspector = linked_inspectors(task, 1)[0]
    for enterprise in Enterprise.objects.all():
        conflict_declare(
            actor=SYSTEM, via=VIA, inspector=blocked_inspector, enterprise=enterprise, reason="x"
        )
    inspectors_for(task.plan.agency, 1, prefix="补充")
    # Three inspectors, one recused from everything: every target still gets two.
    drawn(task)
    assert not DrawnTarget.objects.filter(task=task, replaced=True).exists()
    assert draw_verify(task=task).ok


def test_replaced_targets_are_recorded_with_their_reason():
    task = make_task(candidates=20, inspectors=3, ratio_b=10)
    inspectors = linked_inspectors(task)
    enterprises = list(Enterprise.objects.order_by("pk"))
    # Half the enterprises have two of the three inspectors recused: they cannot be inspected.
    for enterprise in enterprises[:10]:
        for inspector in inspectors[:2]:
            conflict_declare(actor=SYSTEM, via=VIA, inspector=inspector, enterprise=enterprise, reason="x")
    drawn(task)
    replaced = DrawnTarget.objects.filter(task=task, replaced=True)
    kept = DrawnTarget.objects.filter(task=task, replaced=False)
    assert kept.count() == 2
    assert {t.enterprise_id for t in kept}.isdisjoint({e.pk for e in enterprises[:10]})
    assert set(
        Exclusion.objects.filter(task=task, reason=Exclusion.Reason.NO_ELIGIBLE_INSPECTOR).values_list(
            "enterprise_id", flat=True
        )
    ) == {t.enterprise_id for t in replaced}
    assert not InspectorAssignment.objects.filter(target__in=replaced).exists()
    assert draw_verify(task=task).ok


def test_load_per_inspector_is_bounded():
    task = make_task(candidates=30, inspectors=4, ratio_b=100, max_targets_per_inspector=16)
    drawn(task)
    loads = [
        InspectorAssignment.objects.filter(target__task=task, inspector=inspector).count()
        for inspector in Inspector.objects.filter(agency=task.plan.agency)
    ]
    filled = DrawnTarget.objects.filter(task=task, replaced=False).count()
    # A target fails only when three of the four inspectors are at the cap: after 24 filled targets.
    assert max(loads) <= 16 and sum(loads) == 2 * filled and filled >= 24


def test_a_joint_task_takes_one_inspector_from_each_department():
    other = AgencyFactory()
    inspectors_for(other, 4, prefix="税务检查员")
    task = make_task(candidates=30, inspectors=4, joint=[other], ratio_b=20)
    drawn(task)
    lead = task.plan.agency
    for target in DrawnTarget.objects.filter(task=task).prefetch_related("assignments__inspector"):
        departments = sorted((a.department_id, a.inspector.agency_id) for a in target.assignments.all())
        assert departments == sorted([(lead.pk, lead.pk), (other.pk, other.pk)])
    assert draw_verify(task=task).ok


def test_a_joint_department_with_too_small_a_roster_is_named():
    other = AgencyFactory(name_en="Tax Bureau")
    task = make_task(candidates=30, inspectors=4, joint=[other], ratio_b=100, max_targets_per_inspector=20)
    with pytest.raises(ValidationError) as error:
        task_manifest_publish(task=task, actor=SYSTEM, via=VIA)
    assert error.value.messages == [
        "Tax Bureau: the roster has 0 eligible inspectors; 30 targets need at least 1 each with at most 20 "
        "per inspector."
    ]


# --- verification -----------------------------------------------------------------------------------


def test_verify_draw_command_says_verified(capsys):
    task = make_task(candidates=20)
    drawn(task)
    call_command("verify_draw", str(task.pk))
    assert f"verified: task {task.pk}" in capsys.readouterr().out


def test_verify_draw_command_names_a_tampered_draw():
    task = make_task(candidates=20)
    drawn(task)
    with connection.cursor() as cursor:  # what a forger would do with the triggers off
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE inspections_drawntarget SET stream_index = stream_index + 1 WHERE task_id = %s", [task.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError, match="recorded targets differ"):
        call_command("verify_draw", str(task.pk))


def test_verify_draw_command_refuses_an_unknown_task():
    with pytest.raises(CommandError, match="No inspection task"):
        call_command("verify_draw", "999999")


def test_commitments_are_sha256_of_the_secret_text():
    assert commitment_of("a" * 64) == hashlib.sha256(("a" * 64).encode()).hexdigest()


def test_only_the_enterprises_last_task_counts():
    agency = AgencyFactory()
    first = make_task(agency=agency, candidates=3, inspectors=6, ratio_b=100)
    drawn(first)
    second = make_task(agency=agency, candidates=0, inspectors=0, ratio_b=100)
    drawn(second)
    third = make_task(agency=agency, candidates=0, inspectors=0, ratio_b=100)
    drawn(third)
    recused = set(
        Exclusion.objects.filter(task=third, reason=Exclusion.Reason.INSPECTED_LAST_TASK).values_list(
            "enterprise_id", "inspector_id"
        )
    )
    assert recused == pairs(second)


def test_a_candidate_file_disagreeing_with_the_manifests_strata_is_refused():
    import json

    from inspections.models import DrawManifest
    from inspections.services.draw import _inputs

    task = make_task(candidates=3)
    document = {
        "strata": [{"stratum": 1, "ratio": "10.00", "candidates": 5, "targets": 1}],
        "departments": [{"agency": task.plan.agency_id, "inspectors": [{"id": 1, "name": "x"}]}],
        "inspectors_per_target": 2,
        "max_targets_per_inspector": 5,
    }
    lines = b"".join(f"{uscc},1\n".encode() for uscc in Enterprise.objects.values_list("uscc", flat=True))
    manifest = DrawManifest(task=task, document=json.dumps(document), candidates=lines)
    with pytest.raises(ValidationError, match="number of candidates per stratum"):
        _inputs(task, manifest)


def test_the_export_names_each_targets_stratum_number_and_no_class():
    from inspections.selectors import draw_export

    task = make_task(candidates=20, ratio_b=20)
    drawn(task)
    export = draw_export(task)
    assert export["format"] == "inspection-draw/2"
    # Ratios 3, 20, 25, 65: class B's 20 % is stratum 2.
    assert {target["stratum"] for target in export["targets"]} == {2}
    assert all(
        set(target) == {"position", "uscc", "stratum", "stream_index", "replaced"}
        for target in export["targets"]
    )
