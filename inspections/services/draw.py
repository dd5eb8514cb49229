"""The draw itself, once per task, and its verification against the published data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import psycopg
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.bulk import allocate_ids
from inspections.draw.algorithm import CandidateFile, Outcome, draw, seed_from, sha256_hex
from inspections.models import DrawManifest, DrawnTarget, Exclusion, InspectionTask, InspectorAssignment
from inspections.permissions import require_may_maintain
from inspections.risk import with_risk_class
from inspections.selectors.export import task_roster
from inspections.selectors.recusals import recusals_for
from registry.models import AbnormalOperationListing, Enterprise
from registry.services.audit import Actor
from registry.services.base import instance_update


def _inputs(task: InspectionTask, manifest: DrawManifest) -> dict:
    document = json.loads(manifest.document)
    strata = sorted(document["strata"], key=lambda row: row["stratum"])
    candidates = CandidateFile(bytes(manifest.candidates), len(strata))
    if [len(candidates.lines[row["stratum"]]) for row in strata] != [row["candidates"] for row in strata]:
        raise ValidationError(
            _("The candidate file does not hold the manifest's number of candidates per stratum.")
        )
    return {
        "strata": candidates.strata([row["ratio"] for row in strata]),
        "departments": task_roster(manifest),
        "inspectors_per_target": document["inspectors_per_target"],
        "max_targets_per_inspector": document["max_targets_per_inspector"],
    }


def _seed(task: InspectionTask, manifest: DrawManifest) -> str:
    secrets = list(task.commitments.order_by("order").values_list("secret", flat=True))
    return seed_from(manifest.sha256, secrets, task.beacon)


def task_draw(*, task: InspectionTask, actor: Actor, via: str) -> Outcome:
    """Draw the task's targets and inspectors, once, from the seed of its manifest and secrets.

    Refused when the task was drawn already, or its secrets (or beacon) are not all revealed.
    """
    require_may_maintain(actor, task.plan.agency_id)
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if task.state == InspectionTask.State.DRAWN:
            raise ValidationError(
                _("This task was already drawn on %(date)s; a task is drawn once.")
                % {"date": date_format(localtime(task.drawn_at), "DATETIME_FORMAT")},
                code="drawn",
            )
        if task.state != InspectionTask.State.SECRETS_REVEALED:
            waiting = list(task.commitments.filter(secret="").values_list("party", flat=True))
            if task.state == InspectionTask.State.DRAFT:
                message = _("The task's manifest is not published yet.")
            elif waiting:
                message = _("The secrets of %(parties)s are not revealed yet.") % {
                    "parties": ", ".join(waiting)
                }
            else:
                message = _("The beacon value is not entered yet.")
            raise ValidationError(message, code="not_ready")
        manifest = DrawManifest.objects.get(task=task)
        if sha256_hex(bytes(manifest.candidates)) != manifest.candidates_sha256 or (
            sha256_hex(manifest.document) != manifest.sha256
        ):
            raise ValidationError(
                _("The stored manifest no longer matches its published SHA-256."), code="tampered"
            )
        inputs = _inputs(task, manifest)
        seed = _seed(task, manifest)
        roster = [inspector for _, inspectors in inputs["departments"] for inspector in inspectors]
        recusals_by_id = recusals_for(
            task=task, inspector_ids=roster, declared_before=manifest.published_at, on=timezone.localdate()
        )
        uscc_of = dict(
            _bound_rows(
                "SELECT e.id, e.uscc FROM unnest(%s::bigint[]) AS recused(id) "
                "JOIN registry_enterprise e USING (id)",
                [list(recusals_by_id)],
            )
        )
        recusals = {uscc_of[pk]: {row[0] for row in rows} for pk, rows in recusals_by_id.items()}
        outcome = draw(seed=seed, recusals=recusals, **inputs)
        _write(task, outcome, recusals_by_id, uscc_of)
        now = timezone.now()
        drawn = sum(1 for t in outcome.targets if not t.replaced)
        instance_update(
            instance=task,
            actor=actor,
            via=via,
            changes={
                "state": InspectionTask.State.DRAWN,
                "drawn_at": now,
                "seed": seed,
                "target_rows": len(outcome.targets),
                "target_count": drawn,
            },
            note=_("%(targets)s targets drawn, %(words)s stream words used")
            % {"targets": drawn, "words": outcome.words_used},
        )
    return outcome


def _drawn_enterprises(task: InspectionTask, usccs: list[str]) -> dict[str, tuple[int, str, bool]]:
    """uscc -> (id, risk class, on the abnormal-operations list) of the drawn enterprises, as the
    draw finds them: the public candidate file names strata, not classes."""
    listed = AbnormalOperationListing.objects.filter(enterprise=OuterRef("pk"), removed_on__isnull=True)
    # one array parameter, not a hundred thousand placeholders
    drawn = with_risk_class(
        Enterprise.objects.filter(uscc__in=RawSQL("SELECT unnest(%s::text[])", [usccs]))
    ).annotate(listed=Exists(listed))
    raised = task.ratio_abnormal is not None
    statement, params = drawn.values_list("uscc", "pk", "risk_class", "listed").query.sql_with_params()
    return {
        uscc: (pk, risk_class, raised and listed)
        for uscc, pk, risk_class, listed in _bound_rows(statement, params)
    }


def _bound_rows(statement: str, params) -> list[tuple]:
    """Rows of a statement with large array parameters, bound on the server: Django's cursor
    would quote a hundred thousand values into the statement's text in Python."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    """COPY rows in, formatted by psycopg itself (in C), inside the draw's transaction."""
    column_list = ", ".join(columns)
    with (
        psycopg.Cursor(connection.connection) as cursor,
        cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


_TARGET_COLUMNS = (
    "id",
    "task_id",
    "enterprise_id",
    "position",
    "risk_class",
    "abnormal_listed",
    "stream_index",
    "replaced",
)


def _write(task: InspectionTask, outcome: Outcome, recusals_by_id: dict, uscc_of: dict) -> None:
    usccs = [target.uscc for target in outcome.targets]
    found = _drawn_enterprises(task, usccs)
    id_of = {uscc: row[0] for uscc, row in found.items()}
    missing = [uscc for uscc in usccs if uscc not in id_of]
    if missing:
        raise ValidationError(
            _("These drawn enterprises are no longer in the register: %(codes)s.")
            % {"codes": ", ".join(missing[:10])}
        )
    target_ids = allocate_ids(DrawnTarget._meta.db_table, len(outcome.targets))
    _copy(
        DrawnTarget._meta.db_table,
        (
            "id",
            "task_id",
            "enterprise_id",
            "position",
            "risk_class",
            "abnormal_listed",
            "stream_index",
            "replaced",
        ),
        (
            (
                target_ids[t.position - 1],
                task.pk,
                id_of[t.uscc],
                t.position,
                found[t.uscc][1],
                found[t.uscc][2],
                t.stream_index,
                t.replaced,
            )
            for t in outcome.targets
        ),
    )
    _copy(
        InspectorAssignment._meta.db_table,
        ("target_id", "inspector_id", "department_id", "slot", "stream_index"),
        (
            (target_ids[a.position - 1], a.inspector, a.department, a.slot, a.stream_index)
            for a in outcome.assignments
        ),
    )
    exclusions = [
        (task.pk, id_of[t.uscc], inspector, reason, detail[:300])
        for t in outcome.targets
        for inspector, reason, detail in recusals_by_id.get(id_of[t.uscc], ())
    ]
    exclusions += [
        (task.pk, id_of[t.uscc], None, Exclusion.Reason.NO_ELIGIBLE_INSPECTOR, "")
        for t in outcome.targets
        if t.replaced
    ]
    _copy(
        Exclusion._meta.db_table, ("task_id", "enterprise_id", "inspector_id", "reason", "detail"), exclusions
    )
    _check_references(task)


# (table, column, referenced table) of the draw's rows that no per-row trigger checks.
_UNCHECKED = (
    ("inspections_drawntarget", "enterprise_id", "registry_enterprise"),
    ("inspections_inspectorassignment", "inspector_id", "inspections_inspector"),
    ("inspections_inspectorassignment", "department_id", "registry_agency"),
)


def _check_references(task: InspectionTask) -> None:
    """One anti-join per reference, inside the draw's transaction (see models.draws.NO_ROW_TRIGGER)."""
    with connection.cursor() as cursor:
        for table, column, referenced in _UNCHECKED:
            scope = (
                "t.task_id = %s"
                if table == "inspections_drawntarget"
                else "t.target_id IN (SELECT id FROM inspections_drawntarget WHERE task_id = %s)"
            )
            cursor.execute(
                f"SELECT t.{column} FROM {table} t LEFT JOIN {referenced} r ON r.id = t.{column} "  # noqa: S608
                f"WHERE {scope} AND r.id IS NULL LIMIT 1",
                [task.pk],
            )
            if cursor.fetchone():
                raise IntegrityError(f"{table}.{column} names a row missing from {referenced}")


# --- verification -----------------------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool
    problems: list[str] = field(default_factory=list)
    seed: str = ""
    targets: int = 0


def draw_verify(*, task: InspectionTask) -> Verification:
    """Recompute the draw from the published manifest, secrets and recorded recusals and compare."""
    manifest = DrawManifest.objects.get(task=task)
    problems = []
    if sha256_hex(bytes(manifest.candidates)) != manifest.candidates_sha256:
        problems.append(_("The candidate file does not match its published SHA-256."))
    if sha256_hex(manifest.document) != manifest.sha256:
        problems.append(_("The manifest does not match its published SHA-256."))
    for commitment in task.commitments.order_by("order"):
        if not commitment.secret or sha256_hex(commitment.secret) != commitment.commitment:
            problems.append(
                _("The secret of %(party)s does not match its commitment.") % {"party": commitment.party}
            )
    if task.state != InspectionTask.State.DRAWN:
        problems.append(_("The task is not drawn yet."))
    if problems:
        return Verification(ok=False, problems=problems)
    seed = _seed(task, manifest)
    if seed != task.seed:
        problems.append(_("The recorded seed is not the SHA-256 of the manifest, secrets and beacon."))
    recusals: dict[str, set[int]] = {}
    for uscc, inspector in _rows(_RECORDED_RECUSALS, task):
        recusals.setdefault(uscc, set()).add(inspector)
    try:
        inputs = _inputs(task, manifest)
    except (ValidationError, ValueError) as error:
        return Verification(ok=False, problems=[str(getattr(error, "message", error))])
    outcome = draw(seed=seed, recusals=recusals, **inputs)
    expected_targets = [(t.position, t.uscc, t.stream_index, t.replaced) for t in outcome.targets]
    if expected_targets != _rows(_RECORDED_TARGETS, task):
        problems.append(_("The recorded targets differ from the recomputed draw."))
    expected_assignments = [(a.position, a.slot, a.inspector, a.stream_index) for a in outcome.assignments]
    recorded_assignments = _rows(_RECORDED_ASSIGNMENTS, task)
    if expected_assignments != recorded_assignments:
        problems.append(_("The recorded inspector assignments differ from the recomputed draw."))
    return Verification(
        ok=not problems,
        problems=problems,
        seed=seed,
        targets=sum(1 for t in outcome.targets if not t.replaced),
    )


# The recorded draw, read as plain rows (one statement per table, no model instances).
_RECORDED_RECUSALS = (
    "SELECT e.uscc, x.inspector_id FROM inspections_exclusion x "
    "JOIN registry_enterprise e ON e.id = x.enterprise_id WHERE x.task_id = %s AND x.inspector_id IS NOT NULL"
)
_RECORDED_TARGETS = (
    "SELECT t.position, e.uscc, t.stream_index, t.replaced FROM inspections_drawntarget t "
    "JOIN registry_enterprise e ON e.id = t.enterprise_id WHERE t.task_id = %s ORDER BY t.position"
)
_RECORDED_ASSIGNMENTS = (
    "SELECT t.position, a.slot, a.inspector_id, a.stream_index FROM inspections_inspectorassignment a "
    "JOIN inspections_drawntarget t ON t.id = a.target_id WHERE t.task_id = %s ORDER BY t.position, a.slot"
)


def _rows(statement: str, task: InspectionTask) -> list[tuple]:
    return _bound_rows(statement, [task.pk])
