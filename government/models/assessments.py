"""Government integrity assessments (seed 4.2: five metrics) and aggregated public feedback counts."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from government.models.records import subject_kind_error

# Every metric is scored on one scale, 0 to SCORE_MAX, so scores of different rounds compare (the
# constraint's message names the number: change both together).
SCORE_MAX = 100
METRICS = ("transparency", "new_media", "compliance", "honouring_agreements", "public_opinion")


class AssessmentRound(models.Model):
    """One assessment of a set of bodies: who assessed, how, and any link to those assessed."""

    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self", _("self-assessment by the level above")
        THIRD_PARTY = "third_party", _("third-party assessment")

    class Link(models.TextChoices):
        NONE_DECLARED = "none_declared", _("the assessor declares no link to those assessed")
        DISCLOSED = "disclosed", _("link disclosed")

    classification = Classification.PUBLIC

    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year assessed"))
    kind = models.CharField(_("kind of assessment"), max_length=16, choices=Kind.choices)
    assessor = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="assessment_rounds_conducted",
        help_text=_("The government at the level above, or the third-party institution, as registered."),
    )
    link = models.CharField(_("link between assessor and assessed"), max_length=16, choices=Link.choices)
    link_description = models.TextField(
        _("the link disclosed"),
        blank=True,
        help_text=_("Ownership, funding or personal ties between the assessor and the bodies assessed."),
    )
    published_on = models.DateField(_("published on"))
    methodology = models.TextField(_("methodology"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "-published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(link="disclosed") & ~Q(link_description=""))
                | (Q(link="none_declared") & Q(link_description="")),
                name="assessmentround_link_disclosed",
                violation_error_message=_(
                    "A disclosed link needs its description; with no link declared, leave it empty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="assessmentround_year_range",
                violation_error_message=_("The year assessed must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(name_zh__regex=r"^\S(.*\S)?$") & Q(name_en__regex=r"^\S(.*\S)?$"),
                name="assessmentround_names_not_blank",
                violation_error_message=_("A round needs its name in Chinese and English."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    def clean(self) -> None:
        super().clean()
        if (
            self.kind == self.Kind.SELF_ASSESSMENT
            and self.assessor_id is not None
            and subject_kind_error(self.assessor)
        ):
            raise ValidationError(
                {"assessor": _("A self-assessment is made by a government body at the level above.")}
            )


def _score_field(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2)


def _on_scale(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": SCORE_MAX}),
        name=f"assessmentscore_{field}_on_scale",
        violation_error_message=_("Every score is between 0 and 100."),
    )


# Government levels from the top: a self-assessment's assessor sits above every body it assesses.
LEVEL_RANK = {"national": 0, "provincial": 1, "prefecture": 2, "county": 3, "township": 4}


class AssessmentScore(models.Model):
    """One body's scores in one round on the seed's five metrics."""

    classification = Classification.PUBLIC

    round = models.ForeignKey(
        AssessmentRound, verbose_name=_("assessment round"), on_delete=models.CASCADE, related_name="scores"
    )
    subject = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("government body"),
        on_delete=models.PROTECT,
        related_name="assessment_scores",
    )
    transparency = _score_field(_("transparency"))
    new_media = _score_field(_("new media and feedback channels"))
    compliance = _score_field(_("compliance"))
    honouring_agreements = _score_field(_("honouring agreements"))
    public_opinion = _score_field(_("public opinion"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        ordering = ["round", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject"],
                name="assessmentscore_once_per_round",
                violation_error_message=_("This body already has scores in this round."),
            ),
            *(_on_scale(metric) for metric in METRICS),
        ]

    def __str__(self) -> str:
        return f"{self.round} / {self.subject}"

    def clean(self) -> None:
        super().clean()
        if self.subject_id is None:
            return
        error = subject_kind_error(self.subject)
        if error:
            raise ValidationError({"subject": error})
        if self.round_id is None or self.round.kind != AssessmentRound.Kind.SELF_ASSESSMENT:
            return
        if self.round.assessor_id == self.subject_id:
            raise ValidationError({"subject": _("A body cannot assess itself.")})
        above, below = LEVEL_RANK.get(self.round.assessor.level), LEVEL_RANK.get(self.subject.level)
        if above is None or below is None or above >= below:
            raise ValidationError(
                {"subject": _("In a self-assessment the assessor is at a level above the body assessed.")}
            )

    @property
    def overall(self) -> Decimal:
        """The unweighted mean of the five metrics."""
        total = sum((getattr(self, metric) for metric in METRICS), Decimal(0))
        return (total / len(METRICS)).quantize(Decimal("0.01"))


class FeedbackStatistic(models.Model):
    """How many pieces of public feedback a body received in a month through one channel.

    Counts only: individual complaints and those who made them are never recorded here."""

    class Channel(models.TextChoices):
        HOTLINE_12345 = "hotline_12345", _("12345 government service hotline")
        WEBSITE = "website", _("government website message board")
        LETTERS_AND_VISITS = "letters_and_visits", _("letters and visits")
        OTHER = "other", _("other channel")

    classification = Classification.PUBLIC

    subject = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("government body"),
        on_delete=models.PROTECT,
        related_name="feedback_statistics",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month counted."))
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    count = models.PositiveIntegerField(_("number received"))
    source_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("source agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("public feedback statistic")
        verbose_name_plural = _("public feedback statistics")
        ordering = ["subject", "-month", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "month", "channel"],
                name="feedbackstatistic_once_per_month_channel",
                violation_error_message=_("This body already has a count for this month and channel."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="feedbackstatistic_month_first_day",
                violation_error_message=_("A month is given by its first day."),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0),
                name="feedbackstatistic_count_not_negative",
                violation_error_message=_("A count cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.month:%Y-%m} {self.channel}: {self.count}"

    def clean(self) -> None:
        super().clean()
        if self.subject_id is not None:
            error = subject_kind_error(self.subject)
            if error:
                raise ValidationError({"subject": error})
