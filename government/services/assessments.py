"""Assessment rounds, their scores, and monthly feedback counts. Every write is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from government.models import AssessmentRound, AssessmentScore, FeedbackStatistic
from government.models.assessments import METRICS
from government.permissions import require_may_keep_statistics
from registry.models import Agency, Enterprise
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_update


def assessment_round_create(*, actor: Actor, via: str, note: str = "", **fields) -> AssessmentRound:
    require_may_keep_statistics(actor)
    return instance_create(model=AssessmentRound, actor=actor, via=via, fields=fields, note=note)


def assessment_round_update(
    *, assessment_round: AssessmentRound, actor: Actor, via: str, note: str = "", **changes
) -> AssessmentRound:
    require_may_keep_statistics(actor)
    return instance_update(instance=assessment_round, actor=actor, via=via, changes=changes, note=note)


def assessment_score_record(
    *,
    assessment_round: AssessmentRound,
    subject: Enterprise,
    scores: dict[str, Decimal],
    actor: Actor,
    via: str,
    note: str = "",
) -> AssessmentScore:
    """A body's five scores in a round: created, or corrected when it already has them."""
    require_may_keep_statistics(actor)
    scores = {metric: scores.get(metric) for metric in METRICS}
    with transaction.atomic():
        existing = AssessmentScore.objects.filter(round=assessment_round, subject=subject).first()
        if existing is not None:
            return instance_update(instance=existing, actor=actor, via=via, changes=scores, note=note)
        return instance_create(
            model=AssessmentScore,
            actor=actor,
            via=via,
            fields={"round": assessment_round, "subject": subject, **scores},
            note=note,
        )


def feedback_statistic_record(
    *,
    subject: Enterprise,
    month: dt.date,
    channel: str,
    count: int,
    source_agency: Agency,
    actor: Actor,
    via: str,
    note: str = "",
) -> FeedbackStatistic:
    """How many pieces of feedback ``subject`` received in ``month`` through ``channel``: set or corrected."""
    require_may_keep_statistics(actor)
    with transaction.atomic():
        existing = FeedbackStatistic.objects.filter(subject=subject, month=month, channel=channel).first()
        if existing is not None:
            return instance_update(
                instance=existing,
                actor=actor,
                via=via,
                changes={"count": count, "source_agency": source_agency},
                note=note,
            )
        return instance_create(
            model=FeedbackStatistic,
            actor=actor,
            via=via,
            fields={
                "subject": subject,
                "month": month,
                "channel": channel,
                "count": count,
                "source_agency": source_agency,
            },
            note=note,
        )
