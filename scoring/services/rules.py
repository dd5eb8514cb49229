"""Writes for rule sets: create with validation, and revise (a new version once one is in force)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.services.audit import Actor, audit_record, diff, snapshot
from scoring.indicators import indicator_get
from scoring.models import GRADED_SCHEMES, Grade, GradeCutoff, RuleSet, RuleWeight

# Grades from the best score down.
GRADE_ORDER = [Grade.A, Grade.B, Grade.C, Grade.D]
RULE_SET_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "scheme",
    "description_en",
    "description_zh",
    "in_force_from",
    "published",
    "author_agency",
    "author_agency_id",
    "base_score",
    "alert_min_areas",
    "alert_window_months",
)


def _bound(value: int | None) -> str:
    return "-∞" if value is None else str(value)


def cutoff_errors(cutoffs: list[Mapping[str, Any]]) -> list[str]:
    """What is wrong with a graded rule set's cut-offs: missing grades, overlaps, gaps, open ends."""
    if not cutoffs:
        return [_("A rule set that grades needs its grades: give the cut-offs of grades A, B, C and D.")]
    errors = []
    grades = [cutoff["grade"] for cutoff in cutoffs]
    unknown = sorted({grade for grade in grades if grade not in Grade.values})
    if unknown:
        errors.append(
            _("Unknown grade: %(grades)s. Grades are A, B, C and D.") % {"grades": ", ".join(unknown)}
        )
    duplicated = sorted({grade for grade in grades if grades.count(grade) > 1})
    if duplicated:
        errors.append(_("Grade %(grades)s has more than one cut-off.") % {"grades": ", ".join(duplicated)})
    missing = [grade for grade in GRADE_ORDER if grade not in grades]
    if missing:
        errors.append(_("Grade %(grades)s has no cut-off.") % {"grades": ", ".join(missing)})
    if errors:
        return errors
    by_grade = {cutoff["grade"]: cutoff for cutoff in cutoffs}
    ordered = [by_grade[grade] for grade in reversed(GRADE_ORDER)]  # D (lowest scores) first
    for cutoff in ordered:
        low, high = cutoff.get("min_score"), cutoff.get("max_score")
        if low is not None and high is not None and high <= low:
            errors.append(
                _("Grade %(grade)s: its upper bound %(high)s must be above its lower bound %(low)s.")
                % {"grade": cutoff["grade"], "high": high, "low": low}
            )
    if errors:
        return errors
    if ordered[0].get("min_score") is not None:
        errors.append(
            _("Grade D must have no lower bound, so that every score has a grade (it starts at %(low)s).")
            % {"low": ordered[0]["min_score"]}
        )
    if ordered[-1].get("max_score") is not None:
        errors.append(
            _("Grade A must have no upper bound, so that every score has a grade (it stops below %(high)s).")
            % {"high": ordered[-1]["max_score"]}
        )
    for lower, upper in pairwise(ordered):
        high, low = lower.get("max_score"), upper.get("min_score")
        values = {"lower": lower["grade"], "upper": upper["grade"], "high": _bound(high), "low": _bound(low)}
        if high is None or low is None:
            errors.append(
                _("Grades %(lower)s and %(upper)s overlap: only grade D is open below and grade A above.")
                % values
            )
        elif low < high:
            errors.append(
                _(
                    "Grades %(lower)s and %(upper)s overlap: %(lower)s runs below %(high)s and %(upper)s "
                    "starts at %(low)s."
                )
                % values
            )
        elif low > high:
            errors.append(
                _(
                    "Grades %(lower)s and %(upper)s leave a gap: %(lower)s runs below %(high)s but %(upper)s "
                    "starts at %(low)s."
                )
                % values
            )
    return errors


def weight_errors(weights: list[Mapping[str, Any]]) -> list[str]:
    """What is wrong with the weights: unknown indicators or tiers, duplicates, a tier mixed with
    all tiers."""
    errors = []
    seen: dict[str, set[str]] = {}
    for weight in weights:
        code, tier = weight.get("indicator", ""), weight.get("tier", "") or ""
        indicator = indicator_get(code)
        if indicator is None:
            errors.append(
                _("Unknown indicator %(code)s: a weight must name an indicator of the catalogue.")
                % {"code": code}
            )
            continue
        if tier and tier not in indicator.tier_codes:
            errors.append(
                _("Indicator %(code)s has no tier %(tier)s (its tiers: %(tiers)s).")
                % {"code": code, "tier": tier, "tiers": ", ".join(indicator.tier_codes) or _("none")}
            )
            continue
        tiers = seen.setdefault(code, set())
        if tier in tiers:
            errors.append(_("Indicator %(code)s is weighted twice for the same tier.") % {"code": code})
        elif ("" in tiers and tier) or (tier == "" and tiers):
            errors.append(
                _(
                    "Indicator %(code)s is weighted both for all tiers and for one tier: a record would "
                    "count twice."
                )
                % {"code": code}
            )
        tiers.add(tier)
        if not weight.get("points"):
            errors.append(_("Indicator %(code)s has a weight of zero points: leave it out.") % {"code": code})
    return errors


def rule_set_errors(*, scheme: str, weights: list[Mapping], cutoffs: list[Mapping]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if scheme in GRADED_SCHEMES:
        if problems := cutoff_errors(cutoffs):
            errors["cutoffs"] = problems
        if problems := weight_errors(weights):
            errors["weights"] = problems
    elif weights or cutoffs:
        errors["scheme"] = [_("Alert-list thresholds have no weights or grades.")]
    return errors


def _write_children(rule_set: RuleSet, weights: Iterable[Mapping], cutoffs: Iterable[Mapping]) -> None:
    for weight in weights:
        row = RuleWeight(
            rule_set=rule_set,
            indicator=weight["indicator"],
            tier=weight.get("tier", "") or "",
            points=weight["points"],
            counts_for_months=weight["counts_for_months"],
        )
        row.full_clean()
        row.save()
    for cutoff in cutoffs:
        row = GradeCutoff(
            rule_set=rule_set,
            grade=cutoff["grade"],
            min_score=cutoff.get("min_score"),
            max_score=cutoff.get("max_score"),
        )
        row.full_clean()
        row.save()


def _children_of(rule_set: RuleSet) -> tuple[list[dict], list[dict]]:
    weights = [
        {
            "indicator": w.indicator,
            "tier": w.tier,
            "points": w.points,
            "counts_for_months": w.counts_for_months,
        }
        for w in rule_set.weights.all()
    ]
    cutoffs = [
        {"grade": c.grade, "min_score": c.min_score, "max_score": c.max_score} for c in rule_set.cutoffs.all()
    ]
    return weights, cutoffs


def _audit_snapshot(rule_set: RuleSet) -> dict:
    weights, cutoffs = _children_of(rule_set)
    return {**snapshot(rule_set), "weights": weights, "cutoffs": cutoffs}


def rule_set_create(
    *,
    actor: Actor,
    via: str,
    weights: list[Mapping[str, Any]] = (),
    cutoffs: list[Mapping[str, Any]] = (),
    note: str = "",
    **fields: Any,
) -> RuleSet:
    """A new rule set (version 1, or the next version of ``code`` when ``previous`` is given)."""
    unknown = sorted(set(fields) - set(RULE_SET_FIELDS) - {"version", "previous"})
    if unknown:
        raise ValidationError(
            {name: _("A rule set has no field %(field)s.") % {"field": name} for name in unknown}
        )
    weights, cutoffs = list(weights), list(cutoffs)
    rule_set = RuleSet(**fields)
    errors = rule_set_errors(scheme=rule_set.scheme, weights=weights, cutoffs=cutoffs)
    try:
        rule_set.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule_set.save(force_insert=True)
        _write_children(rule_set, weights, cutoffs)
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=rule_set,
            changes=diff({}, _audit_snapshot(rule_set)),
            reason=note,
        )
    return rule_set


def rule_set_is_in_force(rule_set: RuleSet, *, today: dt.date | None = None) -> bool:
    return rule_set.in_force_from <= (today or timezone.localdate())


def rule_set_revise(
    *,
    rule_set: RuleSet,
    actor: Actor,
    via: str,
    weights: list[Mapping[str, Any]] | None = None,
    cutoffs: list[Mapping[str, Any]] | None = None,
    note: str = "",
    **changes: Any,
) -> RuleSet:
    """Change a rule set. One already in force is never edited: its next version is created, in force
    from ``in_force_from`` (today when not given), and returned; evaluations keep pointing at the
    version that made them. A version not yet in force is edited in place. ``weights`` and
    ``cutoffs``, when given, replace the version's own."""
    unknown = sorted(set(changes) - set(RULE_SET_FIELDS) - {"code", "scheme"})
    if unknown or "code" in changes or "scheme" in changes:
        names = unknown or [name for name in ("code", "scheme") if name in changes]
        raise ValidationError(
            {name: _("%(field)s cannot be changed by a revision.") % {"field": name} for name in names}
        )
    current_weights, current_cutoffs = _children_of(rule_set)
    new_weights = current_weights if weights is None else list(weights)
    new_cutoffs = current_cutoffs if cutoffs is None else list(cutoffs)
    if not rule_set_is_in_force(rule_set):
        with transaction.atomic():
            locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
            before = _audit_snapshot(locked)
            for name, value in changes.items():
                setattr(locked, name, value)
            errors = rule_set_errors(scheme=locked.scheme, weights=new_weights, cutoffs=new_cutoffs)
            try:
                locked.full_clean()
            except ValidationError as error:
                errors = {**error.message_dict, **errors}
            if errors:
                raise ValidationError(errors)
            locked.save()
            if weights is not None:
                locked.weights.all().delete()
            if cutoffs is not None:
                locked.cutoffs.all().delete()
            _write_children(
                locked, new_weights if weights is not None else [], new_cutoffs if cutoffs is not None else []
            )
            changed = diff(before, _audit_snapshot(locked))
            if changed:
                audit_record(
                    actor=actor, via=via, action="update", instance=locked, changes=changed, reason=note
                )
        return locked
    with transaction.atomic():
        latest = RuleSet.objects.select_for_update().filter(code=rule_set.code).order_by("-version").first()
        if latest.pk != rule_set.pk:
            raise ValidationError(
                _("Version %(version)s is not the latest of %(code)s: revise version %(latest)s.")
                % {"version": rule_set.version, "code": rule_set.code, "latest": latest.version}
            )
        fields = {name: getattr(rule_set, name) for name in RULE_SET_FIELDS if name != "author_agency"}
        if "author_agency" in changes:
            fields.pop("author_agency_id")
        fields.update(changes)
        if "in_force_from" not in changes:
            fields["in_force_from"] = timezone.localdate()
        if fields["in_force_from"] < rule_set.in_force_from:
            raise ValidationError(
                {"in_force_from": _("A new version cannot take effect before the version it replaces.")}
            )
        return rule_set_create(
            actor=actor,
            via=via,
            weights=new_weights,
            cutoffs=new_cutoffs,
            note=note or _("New version of %(name)s.") % {"name": rule_set},
            version=rule_set.version + 1,
            previous=rule_set,
            **fields,
        )


def rule_set_in_force(*, scheme: str, on: dt.date | None = None, with_weights: bool = True) -> RuleSet | None:
    """The rule set a scheme uses on ``on``: of the versions in force, the one that took effect last.

    Its weights come with it (the engine builds its statement from them) unless ``with_weights``
    is off; its cut-offs are read in SQL. Each query saved counts: a one-enterprise re-evaluation
    is a dozen short statements."""
    on = on or timezone.localdate()
    rule_sets = RuleSet.objects.filter(scheme=scheme, in_force_from__lte=on).order_by(
        "-in_force_from", "-version", "-id"
    )
    if with_weights:
        rule_sets = rule_sets.prefetch_related("weights")
    return rule_sets.first()
