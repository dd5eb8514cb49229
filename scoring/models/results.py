"""What the engine writes: evaluations (history) and the records that moved each one.

An evaluation keeps the rule-set version that made it; a later version never rewrites it. The
contributions are the explanation: each record's source, points, and the dates it stops counting
and may be repaired from. Credit-risk classes use the same shape in their own, internal tables.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from scoring.models.rules import Grade


class Cause(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled evaluation")
    RECORD_CHANGED = "record_changed", _("a record that counts changed")
    REQUESTED = "requested", _("requested by a clerk")


class Remedy(models.TextChoices):
    """What the subject can do about a record, besides objecting to it if it is wrong."""

    NONE = "", _("none: the record stops counting by itself")
    CREDIT_REPAIR = "credit_repair", _("apply for credit repair")
    ABNORMAL_REMOVAL = "abnormal_removal", _("file the missing report and apply for removal from the list")
    PERFORM_JUDGMENT = "perform_judgment", _("perform the judgment; the court removes the entry")


class ScoredResult(models.Model):
    """One scoring of one enterprise under one rule-set version."""

    Cause = Cause

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    rule_set = models.ForeignKey(
        "scoring.RuleSet", verbose_name=_("rule set version"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.IntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    as_of = models.DateField(_("records as of"))
    evaluated_at = models.DateTimeField(_("evaluated at"))
    is_current = models.BooleanField(_("current"), default=True)
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices, default=Cause.SCHEDULED)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.grade} ({self.score}) {self.evaluated_at:%Y-%m-%d}"


class ScoredContribution(models.Model):
    """One record that moved a result: where it comes from, by how much, and until when."""

    Remedy = Remedy

    indicator = models.CharField(_("indicator"), max_length=64)
    tier = models.CharField(_("severity tier"), max_length=32, blank=True)
    source_model = models.CharField(
        _("record type"),
        max_length=100,
        help_text=_("app_label.model of the record, e.g. registry.administrativepenalty"),
    )
    source_pk = models.BigIntegerField(_("record key"))
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    document_number = models.CharField(_("document number"), max_length=120, blank=True)
    record_date = models.DateField(_("record date"))
    points = models.IntegerField(_("points"))
    counts_until = models.DateField(_("stops counting on"))
    repairable_from = models.DateField(_("can be repaired from"), null=True, blank=True)
    remedy = models.CharField(_("what the subject can do"), max_length=32, choices=Remedy.choices, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.indicator} {self.source_model}#{self.source_pk}: {self.points:+d}"


def _result_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(
            fields=["enterprise"],
            condition=Q(is_current=True),
            name=f"{prefix}_one_current_per_enterprise",
            violation_error_message=_("An enterprise has one current result."),
        ),
        models.CheckConstraint(
            condition=Q(grade__in=["A", "B", "C", "D"]),
            name=f"{prefix}_grade_known",
            violation_error_message=_("Grades are A, B, C and D."),
        ),
        models.CheckConstraint(
            condition=Q(cause__in=[choice.value for choice in Cause]),
            name=f"{prefix}_cause_known",
            violation_error_message=_("Unknown cause of an evaluation."),
        ),
    ]


def _contribution_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(counts_until__gt=models.F("record_date")),
            name=f"{prefix}_counts_after_record",
            violation_error_message=_("A record stops counting after its own date."),
        ),
        models.CheckConstraint(
            condition=~Q(points=0),
            name=f"{prefix}_points_not_zero",
            violation_error_message=_("A contribution moves the score."),
        ),
        models.CheckConstraint(
            condition=Q(remedy__in=[choice.value for choice in Remedy]),
            name=f"{prefix}_remedy_known",
            violation_error_message=_("Unknown remedy."),
        ),
    ]


class Evaluation(ScoredResult):
    """A public credit evaluation (公共信用综合评价). Who may see it: ``scoring.selectors.visibility``."""

    # Shown to the subject always, to clerks and scoped API clients, and to the public only when the
    # rule set is published: the selector decides per row, so the rows themselves are restricted.
    classification = Classification.RESTRICTED

    class Meta:
        verbose_name = _("credit evaluation")
        verbose_name_plural = _("credit evaluations")
        ordering = ["enterprise", "-evaluated_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-evaluated_at"], name="evaluation_history_idx")]
        constraints = _result_constraints("evaluation")


class EvaluationContribution(ScoredContribution):
    classification = Classification.RESTRICTED

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="contributions"
    )

    class Meta:
        verbose_name = _("evaluation contribution")
        verbose_name_plural = _("evaluation contributions")
        ordering = ["evaluation", "points", "id"]
        constraints = _contribution_constraints("evaluationcontribution")


class RiskClassAssessment(ScoredResult):
    """A credit-risk class (信用风险分类, A low to D high) for regulators only.

    Never public, never shown to the company, never a penalty, and no class exempts from
    inspection: the inspections draw reads it through ``scoring.selectors.enterprises_with_risk_class``.
    """

    classification = Classification.GOVERNMENT

    class Meta:
        verbose_name = _("credit-risk class assessment")
        verbose_name_plural = _("credit-risk class assessments")
        ordering = ["enterprise", "-evaluated_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-evaluated_at"], name="riskclass_history_idx")]
        constraints = _result_constraints("riskclass")

    @property
    def risk_class(self) -> str:
        return self.grade


class RiskClassContribution(ScoredContribution):
    classification = Classification.GOVERNMENT

    assessment = models.ForeignKey(
        RiskClassAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )

    class Meta:
        verbose_name = _("risk-class contribution")
        verbose_name_plural = _("risk-class contributions")
        ordering = ["assessment", "points", "id"]
        constraints = _contribution_constraints("riskclasscontribution")


class ChangeWatermark(models.Model):
    """A bookmark of the background work: how far the re-evaluation watcher has read the audit
    trail (and which earlier ids it has not seen committed yet), or when a scheduled run last ran."""

    classification = Classification.GOVERNMENT

    name = models.SlugField(_("name"), max_length=64, unique=True)
    last_audit_id = models.BigIntegerField(_("last audit entry read"), default=0)
    # [[first id, last id, first seen (ISO time)], ...]: ids below last_audit_id not yet committed.
    pending_ranges = models.JSONField(_("audit ids not yet seen"), default=list, blank=True)
    ran_at = models.DateTimeField(_("last run"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("background work bookmark")
        verbose_name_plural = _("background work bookmarks")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_audit_id}"
