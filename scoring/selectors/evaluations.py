"""Reads of evaluations: the current one, the history, the explanation."""

from __future__ import annotations

from django.db.models import QuerySet

from scoring.models import Evaluation, EvaluationContribution


def evaluation_current(*, enterprise_id: int) -> Evaluation | None:
    return (
        Evaluation.objects.filter(enterprise_id=enterprise_id, is_current=True)
        .select_related("rule_set")
        .first()
    )


def evaluation_history(*, enterprise_id: int) -> QuerySet[Evaluation]:
    """Newest first, each with the rule-set version that made it."""
    return (
        Evaluation.objects.filter(enterprise_id=enterprise_id)
        .select_related("rule_set")
        .order_by("-evaluated_at", "-id")
    )


def evaluation_explanation(*, evaluation: Evaluation) -> list[EvaluationContribution]:
    """Every record that moved the evaluation, adverse first (most points lost first), with its agency."""
    return list(
        EvaluationContribution.objects.filter(evaluation=evaluation)
        .select_related("agency")
        .order_by("points", "record_date", "id")
    )
