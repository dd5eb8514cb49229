"""Which roster inspectors are recused from which enterprises, and why (回避)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import psycopg
from django.db import connection, transaction
from django.db.models import Q

from inspections.models import DeclaredConflict, Exclusion, InspectionTask, Inspector
from registry.models import Enterprise, KeyPersonnel, Shareholder

Reason = Exclusion.Reason


@dataclass
class Recusals:
    """Who is recused from which enterprise: ``by_enterprise`` maps an enterprise id to
    [(inspector id, reason, detail)]; ``uscc_of`` gives each of those enterprises' USCC."""

    by_enterprise: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    uscc_of: dict[int, str] = field(default_factory=dict)

    def add(self, enterprise_id: int, uscc: str, inspector_id: int, reason: str, detail: str) -> None:
        self.by_enterprise.setdefault(enterprise_id, []).append((inspector_id, reason, detail))
        self.uscc_of[enterprise_id] = uscc

    def by_uscc(self) -> dict[str, set[int]]:
        """USCC -> recused inspector ids, as the draw takes them."""
        uscc_of = self.uscc_of
        return {uscc_of[pk]: {row[0] for row in rows} for pk, rows in self.by_enterprise.items()}


# Each enterprise's last drawn task other than this one (the latest drawn, then the highest id),
# and who inspected it there: one statement, keyed by USCC straight away. Over every target ever
# drawn, so its sorts get the memory to stay off disk (work_mem, for the draw's transaction).
_INSPECTED_LAST_TASK = """
WITH last_target AS (
    SELECT DISTINCT ON (t.enterprise_id) t.id, t.enterprise_id, t.task_id
      FROM inspections_drawntarget t
      JOIN inspections_inspectiontask k ON k.id = t.task_id
     WHERE k.state = 'drawn' AND NOT t.replaced AND t.task_id <> %(task)s
     ORDER BY t.enterprise_id, k.drawn_at DESC, t.task_id DESC
)
SELECT last_target.enterprise_id, e.uscc, a.inspector_id, last_target.task_id
  FROM last_target
  JOIN inspections_inspectorassignment a ON a.target_id = last_target.id
  JOIN registry_enterprise e ON e.id = last_target.enterprise_id
 WHERE a.inspector_id = ANY(%(inspectors)s::bigint[])
"""


def recusals_for(
    *, task: InspectionTask, inspector_ids: Iterable[int], declared_before: dt.datetime, on: dt.date
) -> Recusals:
    """Who of the given roster is recused from which enterprise, and why.

    Three rules: the inspector (linked to a register person) holds a post in the enterprise
    (legal representative, shareholder, current key personnel); a conflict declared before
    ``declared_before``; the inspector inspected the enterprise in its last drawn task.
    """
    inspector_ids = list(inspector_ids)
    found = Recusals()

    person_inspectors: dict[int, list[int]] = {}
    for inspector_id, person_id in Inspector.objects.filter(
        pk__in=inspector_ids, person__isnull=False
    ).values_list("pk", "person_id"):
        person_inspectors.setdefault(person_id, []).append(inspector_id)
    if person_inspectors:
        persons = list(person_inspectors)
        posts = [
            (enterprise_id, uscc, person_id, "legal representative")
            for enterprise_id, uscc, person_id in Enterprise.objects.filter(
                legal_representative_person_id__in=persons
            ).values_list("pk", "uscc", "legal_representative_person_id")
        ]
        posts += [
            (enterprise_id, uscc, person_id, "shareholder")
            for enterprise_id, uscc, person_id in Shareholder.objects.filter(
                person_id__in=persons
            ).values_list("enterprise_id", "enterprise__uscc", "person_id")
        ]
        posts += [
            (enterprise_id, uscc, person_id, role)
            for enterprise_id, uscc, person_id, role in KeyPersonnel.objects.filter(person_id__in=persons)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
            .values_list("enterprise_id", "enterprise__uscc", "person_id", "role")
        ]
        for enterprise_id, uscc, person_id, post in posts:
            for inspector_id in person_inspectors[person_id]:
                found.add(enterprise_id, uscc, inspector_id, Reason.HOLDS_POST, post)

    for enterprise_id, uscc, inspector_id, reason in DeclaredConflict.objects.filter(
        inspector_id__in=inspector_ids, declared_at__lte=declared_before
    ).values_list("enterprise_id", "enterprise__uscc", "inspector_id", "reason"):
        found.add(enterprise_id, uscc, inspector_id, Reason.DECLARED_CONFLICT, reason)

    connection.ensure_connection()
    with transaction.atomic(), psycopg.Cursor(connection.connection) as cursor:
        # bound on the server: the roster is one array parameter, not quoted into the text
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(_INSPECTED_LAST_TASK, {"task": task.pk, "inspectors": inspector_ids})
        for enterprise_id, uscc, inspector_id, task_id in cursor:
            found.add(enterprise_id, uscc, inspector_id, Reason.INSPECTED_LAST_TASK, f"task {task_id}")
    return found
