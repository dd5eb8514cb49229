"""The draw itself, once per task, and its verification against the published data."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
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
        recusals = recusals_for(
            task=task, inspector_ids=roster, declared_before=manifest.published_at, on=timezone.localdate()
        )
        outcome = draw(seed=seed, recusals=recusals.by_uscc(), **inputs)
        _write(task, outcome, recusals.by_enterprise)
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
        Enterprise.objects.filter(uscc__in=RawSQL("SELECT unnest(%s::text[])", [usccs])).order_by()
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
    """COPY rows in, formatted by psycopg itself (in C), inside the draw's transaction: for rows
    whose text may need escaping."""
    column_list = ", ".join(columns)
    with (
        psycopg.Cursor(connection.connection) as cursor,
        cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


_COPY_BLOCK_LINES = 20_000


def _copy_lines(table: str, columns: tuple[str, ...], lines: Iterable[str]) -> None:
    """COPY rows already formatted as lines of COPY text, a block of lines per write: for rows of
    numbers, booleans and codes only (nothing to escape), a hundred thousand and more at a time."""
    column_list = ", ".join(columns)
    with (
        psycopg.Cursor(connection.connection) as cursor,
        cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
    ):
        lines = iter(lines)
        while block := "".join(itertools.islice(lines, _COPY_BLOCK_LINES)):
            copy.write(block)


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
_ASSIGNMENT_COLUMNS = ("target_id", "inspector_id", "department_id", "slot", "stream_index")
_BOOLEAN = {False: "f", True: "t"}


def _write(task: InspectionTask, outcome: Outcome, recusals_by_id: dict) -> None:
    usccs = [target.uscc for target in outcome.targets]
    found = _drawn_enterprises(task, usccs)
    missing = [uscc for uscc in usccs if uscc not in found]
    if missing:
        raise ValidationError(
            _("These drawn enterprises are no longer in the register: %(codes)s.")
            % {"codes": ", ".join(missing[:10])}
        )
    target_ids = allocate_ids(DrawnTarget._meta.db_table, len(outcome.targets))
    task_id = task.pk
    _copy_lines(
        DrawnTarget._meta.db_table,
        _TARGET_COLUMNS,
        (
            f"{target_ids[t.position - 1]}\t{task_id}\t{pk}\t{t.position}\t{risk_class}\t"
            f"{_BOOLEAN[listed]}\t{t.stream_index}\t{_BOOLEAN[t.replaced]}\n"
            for t in outcome.targets
            for pk, risk_class, listed in (found[t.uscc],)
        ),
    )
    _copy_lines(
        InspectorAssignment._meta.db_table,
        _ASSIGNMENT_COLUMNS,
        (
            f"{target_ids[a.position - 1]}\t{a.inspector}\t{a.department}\t{a.slot}\t{a.stream_index}\n"
            for a in outcome.assignments
        ),
    )
    exclusions = [
        (task_id, found[t.uscc][0], inspector, reason, detail[:300])
        for t in outcome.targets
        for inspector, reason, detail in recusals_by_id.get(found[t.uscc][0], ())
    ]
    exclusions += [
        (task_id, found[t.uscc][0], None, Exclusion.Reason.NO_ELIGIBLE_INSPECTOR, "")
        for t in outcome.targets
        if t.replaced
    ]
    _copy(
        Exclusion._meta.db_table, ("task_id", "enterprise_id", "inspector_id", "reason", "detail"), exclusions
    )
    _check_references(
        task,
        inspectors={a.inspector for a in outcome.assignments} | {row[2] for row in exclusions if row[2]},
        departments={a.department for a in outcome.assignments},
    )


def _check_references(task: InspectionTask, *, inspectors: set[int], departments: set[int]) -> None:
    """The references no per-row trigger checks (see models.draws.NO_ROW_TRIGGER), inside the
    draw's transaction: the drawn enterprises with one anti-join; the inspectors and departments,
    a few thousand at most however many rows name them, by their distinct ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.enterprise_id FROM inspections_drawntarget t "
            "LEFT JOIN registry_enterprise r ON r.id = t.enterprise_id "
            "WHERE t.task_id = %s AND r.id IS NULL LIMIT 1",
            [task.pk],
        )
        if cursor.fetchone():
            raise IntegrityError("inspections_drawntarget.enterprise_id names a missing enterprise")
    for ids, table in ((inspectors, "inspections_inspector"), (departments, "registry_agency")):
        (known,) = _bound_rows(
            f"SELECT count(*) FROM {table} WHERE id = ANY(%s::bigint[])",  # noqa: S608 - table names are constants
            [sorted(ids)],
        )[0]
        if known != len(ids):
            raise IntegrityError(f"the draw names {len(ids) - known} rows missing from {table}")


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
