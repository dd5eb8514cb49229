"""Rule sets as data: a scheme's indicator weights and grade cut-offs, versioned.

A rule set is one version of a named set of rules (``code``). Once a version is in force it is
never edited: ``scoring.services.rule_set_revise`` copies it into the next version, which takes
effect on its own ``in_force_from``. Evaluations point at the version that made them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class Scheme(models.TextChoices):
    PUBLIC_EVALUATION = "public_evaluation", _("public credit evaluation")
    RISK_CLASS = "risk_class", _("credit-risk class (internal)")
    ALERT_LIST = "alert_list", _("alert list thresholds")


# Schemes that grade a subject (and so need cut-offs and weights).
GRADED_SCHEMES = (Scheme.PUBLIC_EVALUATION, Scheme.RISK_CLASS)


class Grade(models.TextChoices):
    A = "A", _("A")
    B = "B", _("B")
    C = "C", _("C")
    D = "D", _("D")


class RuleSetQuerySet(models.QuerySet):
    def in_force(self, *, on, scheme: str | None = None) -> RuleSetQuerySet:
        """The version of each rule set in force on ``on``: the latest one whose date has come."""
        versions = self.filter(in_force_from__lte=on)
        if scheme:
            versions = versions.filter(scheme=scheme)
        return versions.order_by("code", "-version").distinct("code")


class RuleSet(models.Model):
    Scheme = Scheme

    classification = Classification.PUBLIC

    code = models.SlugField(
        _("code"), max_length=64, help_text=_("Shared by every version of the same rule set.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    scheme = models.CharField(_("scheme"), max_length=32, choices=Scheme.choices)
    description_en = models.TextField(_("English description"), blank=True)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    in_force_from = models.DateField(_("in force from"))
    published = models.BooleanField(
        _("published"), default=False, help_text=_("A published rule set's grades are shown to the public.")
    )
    author_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("author agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    base_score = models.IntegerField(_("base score"), default=100)
    alert_min_areas = models.PositiveSmallIntegerField(
        _("distinct areas for the alert list"), null=True, blank=True
    )
    alert_window_months = models.PositiveSmallIntegerField(
        _("alert list window (months)"), null=True, blank=True
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["scheme", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="ruleset_code_version_unique",
                violation_error_message=_("This rule set already has a version with this number."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="ruleset_version_positive",
                violation_error_message=_("Versions are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(scheme__in=[choice.value for choice in Scheme]),
                name="ruleset_scheme_known",
                violation_error_message=_("Unknown scheme."),
            ),
            models.CheckConstraint(
                condition=~Q(scheme="risk_class", published=True),
                name="ruleset_risk_class_never_published",
                violation_error_message=_(
                    "Credit-risk classes are internal: their rule set is never published."
                ),
            ),
            models.CheckConstraint(
                condition=Q(scheme="alert_list", alert_min_areas__gte=2, alert_window_months__gte=1)
                | (
                    ~Q(scheme="alert_list")
                    & Q(alert_min_areas__isnull=True, alert_window_months__isnull=True)
                ),
                name="ruleset_alert_thresholds_for_alert_list",
                violation_error_message=_(
                    "An alert-list rule set needs at least 2 distinct areas and a window of at least one "
                    "month; other schemes have no alert thresholds."
                ),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                name="ruleset_code_slug",
                violation_error_message=_("A rule set code is lower-case words joined by hyphens."),
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True) | ~Q(previous=F("id")),
                name="ruleset_previous_not_itself",
                violation_error_message=_("A version cannot follow itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_en} v{self.version}"

    def name_for(self, language: str | None) -> str:
        return self.name_zh if (language or "").startswith("zh") else self.name_en


class RuleWeight(models.Model):
    """How much one kind of record moves the score, and for how long it counts."""

    classification = Classification.PUBLIC

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="weights"
    )
    # A code of the indicator catalogue (scoring.indicators); checked by the service, not a choice
    # list, so a new indicator needs no migration.
    indicator = models.CharField(_("indicator"), max_length=64)
    tier = models.CharField(
        _("severity tier"),
        max_length=32,
        blank=True,
        help_text=_("Empty: every record of the indicator; otherwise only records of this tier."),
    )
    points = models.IntegerField(
        _("points"), help_text=_("Negative for adverse records, positive for good ones.")
    )
    counts_for_months = models.PositiveSmallIntegerField(
        _("counts for (months)"),
        help_text=_("From the record's date; a record ended earlier stops counting then."),
    )

    class Meta:
        verbose_name = _("indicator weight")
        verbose_name_plural = _("indicator weights")
        ordering = ["rule_set", "indicator", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "indicator", "tier"],
                name="ruleweight_one_per_indicator_tier",
                violation_error_message=_("This indicator and tier already have a weight in this rule set."),
            ),
            models.CheckConstraint(
                condition=~Q(points=0),
                name="ruleweight_points_not_zero",
                violation_error_message=_("A weight of zero points weighs nothing: leave the indicator out."),
            ),
            models.CheckConstraint(
                condition=Q(counts_for_months__gte=1) & Q(counts_for_months__lte=600),
                name="ruleweight_counts_for_range",
                violation_error_message=_("A record counts for between 1 and 600 months."),
            ),
        ]

    def __str__(self) -> str:
        tier = f"/{self.tier}" if self.tier else ""
        return f"{self.indicator}{tier}: {self.points:+d}"


class GradeCutoff(models.Model):
    """A grade's score range: from ``min_score`` (inclusive) to ``max_score`` (exclusive)."""

    classification = Classification.PUBLIC

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="cutoffs"
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    min_score = models.IntegerField(_("from score (inclusive)"), null=True, blank=True)
    max_score = models.IntegerField(_("below score (exclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("grade cut-off")
        verbose_name_plural = _("grade cut-offs")
        ordering = ["rule_set", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "grade"],
                name="gradecutoff_one_per_grade",
                violation_error_message=_("This grade already has a cut-off in this rule set."),
            ),
            models.CheckConstraint(
                condition=Q(grade__in=["A", "B", "C", "D"]),
                name="gradecutoff_grade_known",
                violation_error_message=_("Grades are A, B, C and D."),
            ),
            models.CheckConstraint(
                condition=Q(min_score__isnull=True)
                | Q(max_score__isnull=True)
                | Q(max_score__gt=F("min_score")),
                name="gradecutoff_range_not_empty",
                violation_error_message=_("A grade's upper bound must be above its lower bound."),
            ),
        ]

    def __str__(self) -> str:
        low = "-∞" if self.min_score is None else self.min_score
        high = "∞" if self.max_score is None else self.max_score
        return f"{self.grade}: [{low}, {high})"
