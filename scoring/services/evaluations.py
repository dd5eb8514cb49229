"""Running the engine: the whole register, a list of enterprises, or one enterprise.

Public evaluations and credit-risk classes share the engine; each uses the rule set of its scheme
in force on the day. Runs are audited on the rule set (one entry for a run, however many
enterprises it scored)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Enterprise
from registry.services.audit import SYSTEM, Actor, Via, audit_record
from scoring.engine.run import (
    DEFAULT_BATCH,
    EVALUATIONS,
    RISK_CLASSES,
    Target,
    run_in_batches,
    run_scored,
    scope_for_ids,
)
from scoring.models import Cause, Evaluation, RiskClassAssessment, RuleSet, Scheme
from scoring.services.rules import rule_set_in_force
from scoring.services.triggers import evaluation_triggers_apply

Progress = Callable[[int, int | None], None]


class NoRuleSetInForce(LookupError):
    pass


@dataclass(frozen=True)
class RunSummary:
    rule_set: RuleSet
    results: int
    contributions: int
    as_of: dt.date


def _rule_set(scheme: str, on: dt.date) -> RuleSet:
    rule_set = rule_set_in_force(scheme=scheme, on=on)
    if rule_set is None:
        raise NoRuleSetInForce(
            _("No %(scheme)s rule set is in force on %(date)s: load or create one first.")
            % {"scheme": Scheme(scheme).label, "date": on.isoformat()}
        )
    return rule_set


def _run_all(
    *, scheme: str, target: Target, actor: Actor, via: str, cause: str, on, batch_size: int, progress
) -> RunSummary:
    now = timezone.now()
    on = on or timezone.localdate(now)
    rule_set = _rule_set(scheme, on)
    done = run_in_batches(
        rule_set=rule_set,
        target=target,
        as_of=on,
        now=now,
        cause=cause,
        batch_size=batch_size,
        progress=progress,
    )
    if target is EVALUATIONS:
        evaluation_triggers_apply(
            evaluations=Evaluation.objects.filter(is_current=True, evaluated_at=now, rule_set=rule_set),
            now=now,
        )
    audit_record(
        actor=actor,
        via=via,
        action="update",
        instance=rule_set,
        changes={"scored": [None, done.results], "contributions": [None, done.contributions]},
        reason=_("%(scheme)s of the whole register as of %(date)s.")
        % {"scheme": Scheme(scheme).label, "date": on.isoformat()},
    )
    return RunSummary(rule_set, done.results, done.contributions, on)


def _run_ids(*, scheme: str, target: Target, ids: list[int], cause: str, on) -> RunSummary:
    now = timezone.now()
    on = on or timezone.localdate(now)
    rule_set = _rule_set(scheme, on)
    with transaction.atomic():
        done = run_scored(
            rule_set=rule_set, scope=scope_for_ids(ids), target=target, as_of=on, now=now, cause=cause
        )
        if target is EVALUATIONS:
            evaluation_triggers_apply(
                evaluations=Evaluation.objects.filter(enterprise_id__in=ids, is_current=True), now=now
            )
    return RunSummary(rule_set, done.results, done.contributions, on)


def evaluation_run_all(
    *,
    actor: Actor = SYSTEM,
    via: str = Via.SYSTEM,
    cause: str = Cause.SCHEDULED,
    on: dt.date | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> RunSummary:
    """Evaluate every enterprise of the register (a transaction per batch of enterprise ids)."""
    return _run_all(
        scheme=Scheme.PUBLIC_EVALUATION,
        target=EVALUATIONS,
        actor=actor,
        via=via,
        cause=cause,
        on=on,
        batch_size=batch_size,
        progress=progress,
    )


def evaluations_run_for_ids(
    *, enterprise_ids: list[int], cause: str = Cause.RECORD_CHANGED, on=None
) -> RunSummary:
    """Evaluate the enterprises named, in one statement (the re-evaluation watcher's path)."""
    return _run_ids(
        scheme=Scheme.PUBLIC_EVALUATION, target=EVALUATIONS, ids=enterprise_ids, cause=cause, on=on
    )


def evaluation_run_for(
    *, enterprise: Enterprise | int, cause: str = Cause.REQUESTED, on: dt.date | None = None
) -> Evaluation | None:
    """Evaluate one enterprise through the same SQL; its new current evaluation (None if it is not
    evaluated: registration cancelled)."""
    enterprise_id = enterprise if isinstance(enterprise, int) else enterprise.pk
    _run_ids(scheme=Scheme.PUBLIC_EVALUATION, target=EVALUATIONS, ids=[enterprise_id], cause=cause, on=on)
    return (
        Evaluation.objects.filter(enterprise_id=enterprise_id, is_current=True)
        .select_related("rule_set")
        .first()
    )


def risk_class_run_all(
    *,
    actor: Actor = SYSTEM,
    via: str = Via.SYSTEM,
    cause: str = Cause.SCHEDULED,
    on: dt.date | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> RunSummary:
    """Classify every enterprise's credit risk under the internal risk-class rule set."""
    return _run_all(
        scheme=Scheme.RISK_CLASS,
        target=RISK_CLASSES,
        actor=actor,
        via=via,
        cause=cause,
        on=on,
        batch_size=batch_size,
        progress=progress,
    )


def risk_class_run_for(
    *, enterprise: Enterprise | int, cause: str = Cause.REQUESTED, on: dt.date | None = None
) -> RiskClassAssessment | None:
    enterprise_id = enterprise if isinstance(enterprise, int) else enterprise.pk
    _run_ids(scheme=Scheme.RISK_CLASS, target=RISK_CLASSES, ids=[enterprise_id], cause=cause, on=on)
    return RiskClassAssessment.objects.filter(enterprise_id=enterprise_id, is_current=True).first()
