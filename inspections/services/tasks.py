"""Tasks up to their draw: edit a draft, collect commitments, publish the manifest (which freezes
the task), reveal the secrets and the beacon."""

from __future__ import annotations

import hmac
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspections.draw.algorithm import (
    ALGORITHM,
    RECUSAL_RULES,
    REDRAW_RULE,
    USCC_LENGTH,
    canonical_json,
    ratio_strata,
    sha256_hex,
    targets_for,
)
from inspections.models import DrawManifest, InspectionTask, Inspector, SecretCommitment
from inspections.permissions import require_may_maintain
from inspections.selectors.candidates import class_ratios, task_candidate_file
from registry.models import AuditEntry
from registry.services.audit import Actor, audit_record
from registry.services.base import instance_create, instance_update

M2M_FIELDS = ("items", "joint_agencies")
MIN_PARTIES = 2
CANDIDATE_FORMAT = (
    "one 'USCC,STRATUM' line per candidate, STRATUM the number of its ratio group, "
    "LF-terminated, ordered by USCC"
)


def _refuse_if_frozen(task: InspectionTask) -> None:
    if task.is_frozen:
        raise ValidationError(
            _("The task cannot be changed: its manifest was published on %(date)s.")
            % {"date": date_format(localtime(task.manifest_published_at), "DATETIME_FORMAT")},
            code="frozen",
        )


def _set_m2m(task: InspectionTask, m2m: dict[str, Any], *, actor: Actor, via: str) -> None:
    changes = {}
    for name, values in m2m.items():
        before = sorted(getattr(task, name).values_list("pk", flat=True))
        getattr(task, name).set(values)
        after = sorted(getattr(task, name).values_list("pk", flat=True))
        if before != after:
            changes[name] = [before, after]
    if changes:
        audit_record(actor=actor, via=via, action=AuditEntry.Action.UPDATE, instance=task, changes=changes)


def task_create(*, actor: Actor, via: str, items=(), joint_agencies=(), **fields) -> InspectionTask:
    plan = fields.get("plan")
    require_may_maintain(actor, plan.agency_id if plan else None)
    with transaction.atomic():
        task = instance_create(model=InspectionTask, actor=actor, via=via, fields=fields, read_only=_MOVING)
        _set_m2m(task, {"items": items, "joint_agencies": joint_agencies}, actor=actor, via=via)
    return task


# Set by the services that move a task along, never by an edit.
_MOVING = {"state", "manifest_published_at", "drawn_at", "seed", "beacon", "target_rows", "target_count"}


def task_update(*, task: InspectionTask, actor: Actor, via: str, **changes) -> InspectionTask:
    """Change a draft task; a task whose manifest is published is refused, naming the date."""
    require_may_maintain(actor, task.plan.agency_id)
    m2m = {name: changes.pop(name) for name in M2M_FIELDS if name in changes}
    with transaction.atomic():
        locked = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _refuse_if_frozen(locked)
        if "plan" in changes:
            require_may_maintain(actor, changes["plan"].agency_id)
        instance_update(instance=task, actor=actor, via=via, changes=changes, read_only=_MOVING)
        _set_m2m(task, m2m, actor=actor, via=via)
    return task


def commitment_add(
    *, task: InspectionTask, party: str, commitment: str, actor: Actor, via: str
) -> SecretCommitment:
    """A party commits to a secret (SHA-256 of it) before the manifest is published."""
    require_may_maintain(actor, task.plan.agency_id)
    with transaction.atomic():
        locked = InspectionTask.objects.select_for_update().get(pk=task.pk)
        _refuse_if_frozen(locked)
        order = locked.commitments.count() + 1
        return instance_create(
            model=SecretCommitment,
            actor=actor,
            via=via,
            fields={"task": locked, "order": order, "party": party, "commitment": commitment.strip().lower()},
        )


# --- the manifest -----------------------------------------------------------------------------------


def stratum_ratios(task: InspectionTask) -> dict[str, str]:
    """The ratio of every class stratum (A, A+ ... D+), kept internal."""
    return class_ratios(task)


def task_departments(task: InspectionTask) -> list:
    """The lead agency, then the joint agencies by id."""
    joint = sorted(task.joint_agencies.exclude(pk=task.plan.agency_id), key=lambda agency: agency.pk)
    return [task.plan.agency, *joint]


def _roster_problems(task: InspectionTask, departments, rosters: dict[int, list[Inspector]], targets: int):
    per_target = task.inspectors_per_target
    cap = task.max_targets_per_inspector
    problems = []
    for index, agency in enumerate(departments):
        slots = len(range(index, per_target, len(departments)))  # slots s with s mod D == index
        roster = rosters.get(agency.pk, [])
        if len(roster) >= slots and len(roster) * cap >= targets * slots:
            continue
        message = _(
            "the roster has %(count)s eligible inspectors; %(targets)s targets need at least %(slots)s each "
            "with at most %(cap)s per inspector"
        ) % {"count": len(roster), "targets": targets, "slots": slots, "cap": cap}
        if len(departments) > 1:
            name = agency.name_en if (get_language() or "").startswith("en") else agency.name_zh
            message = f"{name}: {message}"
        problems.append(message)
    return problems


def task_manifest_publish(*, task: InspectionTask, actor: Actor, via: str) -> DrawManifest:
    """Freeze the task and publish its manifest. Refused, naming each problem, when the task has
    no item, fewer than two commitments, no candidate or target, or a roster too small."""
    require_may_maintain(actor, task.plan.agency_id)
    with transaction.atomic():
        task = (
            InspectionTask.objects.select_for_update(of=("self",))
            .select_related("plan__agency", "region")
            .get(pk=task.pk)
        )
        _refuse_if_frozen(task)
        items = list(task.items.order_by("pk"))
        departments = task_departments(task)
        problems = []
        if not items:
            problems.append(_("A task needs at least one inspection item."))
        allowed_agencies = {agency.pk for agency in departments}
        if any(item.agency_id not in allowed_agencies for item in items):
            problems.append(_("Every item must come from the list of an agency taking part."))
        commitments = list(task.commitments.order_by("order"))
        if len(commitments) < MIN_PARTIES:
            problems.append(
                _("At least %(count)s parties must commit to a secret before the manifest is published.")
                % {"count": MIN_PARTIES}
            )
        if len(departments) > task.inspectors_per_target:
            problems.append(
                _("A joint task of %(count)s agencies needs at least %(count)s inspectors per target.")
                % {"count": len(departments)}
            )
        candidates = task_candidate_file(task)
        ratios = ratio_strata(class_ratios(task))[0]
        numbers = candidates[USCC_LENGTH + 1 :: USCC_LENGTH + 3]  # each line's one-digit stratum
        counts = [numbers.count(str(number).encode("ascii")) for number in range(1, len(ratios) + 1)]
        targets = [targets_for(count, ratio) for count, ratio in zip(counts, ratios, strict=True)]
        total = sum(targets)
        if total == 0:
            problems.append(
                _("The filter and the ratios draw no target: %(count)s candidates.") % {"count": sum(counts)}
            )
        rosters: dict[int, list[Inspector]] = {}
        for inspector in Inspector.objects.filter(agency__in=departments, active=True).order_by("pk"):
            rosters.setdefault(inspector.agency_id, []).append(inspector)
        if total and len(departments) <= task.inspectors_per_target:
            problems += [
                problem[:1].upper() + problem[1:] + "."
                for problem in _roster_problems(task, departments, rosters, total)
            ]
        if problems:
            raise ValidationError(problems)

        now = timezone.now()
        candidates_sha256 = sha256_hex(candidates)
        document = canonical_json(
            {
                "algorithm": ALGORITHM,
                "task": {
                    "id": task.pk,
                    "name_en": task.name_en,
                    "name_zh": task.name_zh,
                    "plan": {"id": task.plan_id, "year": task.plan.year, "agency": task.plan.agency_id},
                    "complete_by": task.complete_by.isoformat(),
                },
                "items": [
                    {"id": item.pk, "name_en": item.name_en, "name_zh": item.name_zh, "kind": item.kind}
                    for item in items
                ],
                "filter": {
                    "region": task.region_id,
                    "industries": sorted(task.industries),
                    "entity_types": sorted(task.entity_types),
                    "statuses": sorted(task.statuses) or ["in_operation"],
                },
                "candidates": {
                    "sha256": candidates_sha256,
                    "count": sum(counts),
                    "format": CANDIDATE_FORMAT,
                },
                "strata": [
                    {"stratum": number, "ratio": ratio, "candidates": count, "targets": target}
                    for number, (ratio, count, target) in enumerate(zip(ratios, counts, targets), start=1)
                ],
                "rounding": "targets = ceil(candidates * ratio / 100)",
                "departments": [
                    {
                        "agency": agency.pk,
                        "name_en": agency.name_en,
                        "name_zh": agency.name_zh,
                        "inspectors": [{"id": i.pk, "name": i.name} for i in rosters.get(agency.pk, [])],
                    }
                    for agency in departments
                ],
                "inspectors_per_target": task.inspectors_per_target,
                "max_targets_per_inspector": task.max_targets_per_inspector,
                "recusal_rules": list(RECUSAL_RULES),
                "redraw_rule": REDRAW_RULE,
                "commitments": [
                    {"order": c.order, "party": c.party, "commitment": c.commitment} for c in commitments
                ],
                "beacon_source": task.beacon_source,
                "published_at": now.isoformat(),
            }
        )
        manifest = DrawManifest(
            task=task,
            algorithm=ALGORITHM,
            candidates=candidates,
            candidates_sha256=candidates_sha256,
            candidate_count=sum(counts),
            document=document,
            sha256=sha256_hex(document),
            published_at=now,
        )
        manifest.full_clean(exclude=["candidates"])
        manifest.save(force_insert=True)
        audit_record(
            actor=actor,
            via=via,
            action=AuditEntry.Action.CREATE,
            instance=manifest,
            changes={
                "sha256": [None, manifest.sha256],
                "candidates_sha256": [None, candidates_sha256],
                "candidate_count": [None, manifest.candidate_count],
            },
        )
        _move(
            task,
            actor=actor,
            via=via,
            state=InspectionTask.State.MANIFEST_PUBLISHED,
            manifest_published_at=now,
        )
    return manifest


def _move(task: InspectionTask, *, actor: Actor, via: str, **changes) -> None:
    instance_update(instance=task, actor=actor, via=via, changes=changes)


# --- secrets and beacon -----------------------------------------------------------------------------


def _ready(task: InspectionTask) -> bool:
    return not task.commitments.filter(secret="").exists() and (not task.beacon_source or bool(task.beacon))


def secret_reveal(*, commitment: SecretCommitment, secret: str, actor: Actor, via: str) -> SecretCommitment:
    """Reveal a party's secret; it must hash to the published commitment. When every secret (and
    the beacon, if one is named) is in, the task is ready to draw."""
    require_may_maintain(actor, commitment.task.plan.agency_id)
    secret = secret.strip().lower()
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=commitment.task_id)
        commitment = SecretCommitment.objects.select_for_update().get(pk=commitment.pk)
        if task.state == InspectionTask.State.DRAFT:
            raise ValidationError(
                _("Secrets are revealed after the manifest is published."), code="not_published"
            )
        if commitment.secret:
            raise ValidationError(
                _("The secret of %(party)s is already revealed.") % {"party": commitment.party},
                code="revealed",
            )
        if len(secret) != 64 or any(ch not in "0123456789abcdef" for ch in secret):
            raise ValidationError(
                {"secret": _("A secret is 64 hexadecimal characters (32 random bytes).")}, code="shape"
            )
        if not hmac.compare_digest(sha256_hex(secret), commitment.commitment):
            raise ValidationError(
                {
                    "secret": _(
                        "The secret revealed for %(party)s does not match its commitment: its SHA-256 is "
                        "%(actual)s, the published commitment is %(expected)s."
                    )
                    % {
                        "party": commitment.party,
                        "actual": sha256_hex(secret),
                        "expected": commitment.commitment,
                    }
                },
                code="mismatch",
            )
        instance_update(
            instance=commitment,
            actor=actor,
            via=via,
            changes={"secret": secret, "revealed_at": timezone.now()},
        )
        task.refresh_from_db()
        if _ready(task) and task.state == InspectionTask.State.MANIFEST_PUBLISHED:
            _move(task, actor=actor, via=via, state=InspectionTask.State.SECRETS_REVEALED)
    return commitment


def task_beacon_set(*, task: InspectionTask, beacon: str, actor: Actor, via: str) -> InspectionTask:
    """Enter the public beacon's value, once, after the manifest named it."""
    require_may_maintain(actor, task.plan.agency_id)
    beacon = beacon.strip()
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if not task.beacon_source:
            raise ValidationError(
                {"beacon": _("The manifest of this task names no beacon.")}, code="no_beacon"
            )
        if task.state == InspectionTask.State.DRAFT:
            raise ValidationError(
                {"beacon": _("The beacon value is entered after the manifest is published.")}, code="draft"
            )
        if task.beacon:
            raise ValidationError({"beacon": _("The beacon value is already entered.")}, code="set")
        if not beacon:
            raise ValidationError({"beacon": _("Enter the beacon value.")}, code="blank")
        _move(task, actor=actor, via=via, beacon=beacon)
        if _ready(task) and task.state == InspectionTask.State.MANIFEST_PUBLISHED:
            _move(task, actor=actor, via=via, state=InspectionTask.State.SECRETS_REVEALED)
    return task
