"""What the public pages show of one government body and of one assessment round, beyond the
records themselves (``government.selectors.bodies``): feedback counts by month, round figures.

Every record here is public by classification; feedback is read as monthly counts only (no
individual complaint is ever stored). Each read is a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Min, QuerySet, Sum
from django.utils.translation import gettext as _

from government.models import AssessmentRound, AssessmentScore, DishonestyRecord, FeedbackStatistic
from government.models.assessments import METRICS
from government.selectors.bodies import assessment_round_scores, body_feedback_statistics
from registry.models import Enterprise

# How many months of feedback counts a body's profile shows.
FEEDBACK_MONTHS = 12


@dataclass(frozen=True)
class FeedbackMonth:
    month: dt.date
    counts: dict[str, int]  # channel -> number received
    total: int


def body_feedback(*, body: Enterprise, on: dt.date) -> list[FeedbackMonth]:
    """The body's public feedback counts for the last ``FEEDBACK_MONTHS`` months to ``on``, newest first."""
    months_back = on.year * 12 + on.month - 1 - (FEEDBACK_MONTHS - 1)
    first = dt.date(months_back // 12, months_back % 12 + 1, 1)
    months: dict[dt.date, dict[str, int]] = {}
    for month, channel, count in (
        body_feedback_statistics(body=body, since=first)
        .filter(month__lte=on)
        .values_list("month", "channel", "count")
    ):
        months.setdefault(month, {})[channel] = count
    return [FeedbackMonth(month, counts, sum(counts.values())) for month, counts in months.items()]


def rounds_public() -> QuerySet[AssessmentRound]:
    return AssessmentRound.objects.select_related("assessor").annotate(bodies=Count("scores"))


@dataclass(frozen=True)
class MetricFigures:
    metric: str
    label: str
    mean: object
    lowest: object
    highest: object


def round_scores(*, assessment_round: AssessmentRound) -> list[AssessmentScore]:
    """Every body's scores in the round, best overall first: one query."""
    return sorted(
        assessment_round_scores(assessment_round=assessment_round),
        key=lambda score: (-score.overall, score.subject.name),
    )


def round_metric_figures(*, assessment_round: AssessmentRound) -> list[MetricFigures]:
    """Mean, lowest and highest score of each metric across the round: one query."""
    aggregates = {}
    for metric in METRICS:
        aggregates |= {
            f"{metric}_mean": Avg(metric),
            f"{metric}_min": Min(metric),
            f"{metric}_max": Max(metric),
        }
    values = assessment_round.scores.aggregate(**aggregates)
    return [
        MetricFigures(
            metric=metric,
            label=str(AssessmentScore._meta.get_field(metric).verbose_name),
            mean=values[f"{metric}_mean"],
            lowest=values[f"{metric}_min"],
            highest=values[f"{metric}_max"],
        )
        for metric in METRICS
    ]


def round_feedback_totals(*, assessment_round: AssessmentRound) -> dict[int, int]:
    """Body id -> public feedback received in the round's year, for the bodies assessed: one query."""
    return dict(
        FeedbackStatistic.objects.filter(
            subject__assessment_scores__round=assessment_round, month__year=assessment_round.year
        )
        .values_list("subject_id")
        .annotate(total=Sum("count"))
        .order_by()
    )


def record_consequences(record: DishonestyRecord, *, format_date) -> list[str]:
    """What followed the record, one sentence each, dates written by ``format_date``."""
    parts = []
    if record.explanation_on:
        parts.append(_("Written explanation of %(day)s") % {"day": format_date(record.explanation_on)})
    if record.rectification_deadline:
        outcome = record.get_rectification_outcome_display() or _("not yet known")
        day = format_date(record.rectification_deadline)
        parts.append(_("rectify by %(day)s: %(outcome)s") % {"day": day, "outcome": outcome})
    if record.honours_barred_until:
        parts.append(
            _("barred from honours until %(day)s") % {"day": format_date(record.honours_barred_until)}
        )
    if record.officials_held_accountable:
        count, outcome = record.officials_held_accountable, record.get_accountability_outcome_display()
        parts.append(
            _("%(count)d officials held accountable: %(outcome)s") % {"count": count, "outcome": outcome}
        )
    return parts


def metric_labels() -> list[tuple[str, str]]:
    """(metric, its name in the active language) for the five metrics, in order."""
    return [(metric, str(AssessmentScore._meta.get_field(metric).verbose_name)) for metric in METRICS]
