"""A public body's government-integrity record: its dishonesty records, assessments and feedback."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from government.models import AssessmentRound, AssessmentScore, DishonestyRecord, FeedbackStatistic
from registry.models import Enterprise


def body_dishonesty_records(*, body: Enterprise) -> QuerySet[DishonestyRecord]:
    """Every record of ``body``: open ones first, then the latest cleared; newest listing first within
    each. The consequences are the record's own fields."""
    return (
        DishonestyRecord.objects.filter(subject=body)
        .select_related("recording_agency", "creditor", "list_entry", "list_entry__list_type")
        .order_by(F("cleared_on").desc(nulls_first=True), "-listed_on", "-pk")
    )


def body_assessment_scores(*, body: Enterprise) -> QuerySet[AssessmentScore]:
    """``body``'s scores in every round, newest round first, with the round and its assessor."""
    return (
        AssessmentScore.objects.filter(subject=body)
        .select_related("round", "round__assessor")
        .order_by("-round__year", "-round__published_on", "-round__pk")
    )


def assessment_round_scores(*, assessment_round: AssessmentRound) -> QuerySet[AssessmentScore]:
    """A round's scores with the bodies assessed, by body name."""
    return assessment_round.scores.select_related("subject", "subject__region").order_by("subject__name")


def body_feedback_statistics(
    *, body: Enterprise, since: dt.date | None = None
) -> QuerySet[FeedbackStatistic]:
    """``body``'s monthly feedback counts per channel, newest month first (counts only, never complaints)."""
    rows = FeedbackStatistic.objects.filter(subject=body)
    if since is not None:
        rows = rows.filter(month__gte=since)
    return rows.select_related("source_agency").order_by("-month", "channel")


def subordinate_bodies(*, body: Enterprise) -> QuerySet[Enterprise]:
    return body.subordinate_bodies.order_by("name").only("name", "uscc", "entity_type", "level")
