"""Which roster inspectors are recused from which enterprises, and why (回避)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from inspections.models import (
    DeclaredConflict,
    DrawnTarget,
    Exclusion,
    InspectionTask,
    Inspector,
    InspectorAssignment,
)
from registry.models import Enterprise, KeyPersonnel, Shareholder

Reason = Exclusion.Reason


def recusals_for(
    *, task: InspectionTask, inspector_ids: Iterable[int], declared_before: dt.datetime, on: dt.date
) -> dict[int, list[tuple[int, str, str]]]:
    """enterprise id -> [(inspector id, reason, detail)] for the given roster.

    Three rules: the inspector (linked to a register person) holds a post in the enterprise
    (legal representative, shareholder, current key personnel); a conflict declared before
    ``declared_before``; the inspector inspected the enterprise in its last drawn task.
    """
    inspector_ids = list(inspector_ids)
    found: dict[int, list[tuple[int, str, str]]] = {}

    def add(enterprise_id: int, inspector_id: int, reason: str, detail: str) -> None:
        found.setdefault(enterprise_id, []).append((inspector_id, reason, detail))

    person_inspectors: dict[int, list[int]] = {}
    for inspector_id, person_id in Inspector.objects.filter(
        pk__in=inspector_ids, person__isnull=False
    ).values_list("pk", "person_id"):
        person_inspectors.setdefault(person_id, []).append(inspector_id)
    if person_inspectors:
        persons = list(person_inspectors)
        posts = [
            (enterprise_id, person_id, "legal representative")
            for enterprise_id, person_id in Enterprise.objects.filter(
                legal_representative_person_id__in=persons
            ).values_list("pk", "legal_representative_person_id")
        ]
        posts += [
            (enterprise_id, person_id, "shareholder")
            for enterprise_id, person_id in Shareholder.objects.filter(person_id__in=persons).values_list(
                "enterprise_id", "person_id"
            )
        ]
        posts += [
            (enterprise_id, person_id, role)
            for enterprise_id, person_id, role in KeyPersonnel.objects.filter(person_id__in=persons)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
            .values_list("enterprise_id", "person_id", "role")
        ]
        for enterprise_id, person_id, post in posts:
            for inspector_id in person_inspectors[person_id]:
                add(enterprise_id, inspector_id, Reason.HOLDS_POST, post)

    for enterprise_id, inspector_id, reason in DeclaredConflict.objects.filter(
        inspector_id__in=inspector_ids, declared_at__lte=declared_before
    ).values_list("enterprise_id", "inspector_id", "reason"):
        add(enterprise_id, inspector_id, Reason.DECLARED_CONFLICT, reason)

    # Each enterprise's last drawn task (other than this one) in which it was inspected.
    last_targets = (
        DrawnTarget.objects.filter(task__state=InspectionTask.State.DRAWN, replaced=False)
        .exclude(task=task)
        .order_by("enterprise_id", "-task__drawn_at", "-task_id")
        .distinct("enterprise_id")
        .values("pk")
    )
    for enterprise_id, inspector_id, task_id in InspectorAssignment.objects.filter(
        target__in=last_targets, inspector_id__in=inspector_ids
    ).values_list("target__enterprise_id", "inspector_id", "target__task_id"):
        add(enterprise_id, inspector_id, Reason.INSPECTED_LAST_TASK, f"task {task_id}")
    return found
