"""What a grade sets in motion, as records of the credit file (never punishments of their own),
and the alert list.

- grade C: the company is invited to a credit-management briefing (``BriefingInvitation``);
- grade D: the local credit office gets a warning interview (约谈) task (``WarningInterview``), whose
  clerk records when it was held, who attended and the outcome, or that the company refused;
- adverse records from several areas within a window: the enterprise is on the alert list
  (``AlertListEntry``) with a public early warning, until it no longer qualifies.

``scoring.services.triggers.evaluation_triggers_apply`` writes all three after each evaluation run.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class BriefingInvitation(models.Model):
    """An evaluation that became C invites the company to a credit-management briefing."""

    # The company and government users read it; it is no public record.
    classification = Classification.RESTRICTED

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    evaluation = models.OneToOneField(
        "scoring.Evaluation",
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="briefing_invitation",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"))

    class Meta:
        verbose_name = _("credit-management briefing invitation")
        verbose_name_plural = _("credit-management briefing invitations")
        ordering = ["-invited_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-invited_at"], name="briefing_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.invited_at:%Y-%m-%d}"


class InterviewStatus(models.TextChoices):
    PENDING = "pending", _("to be held")
    HELD = "held", _("held")
    REFUSED = "refused", _("refused to attend")


class WarningInterview(models.Model):
    """An evaluation that became D: a warning interview (约谈) task of the local credit office."""

    Status = InterviewStatus

    classification = Classification.RESTRICTED

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    evaluation = models.OneToOneField(
        "scoring.Evaluation",
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="warning_interview",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("local credit office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    status = models.CharField(
        _("status"), max_length=16, choices=InterviewStatus.choices, default=InterviewStatus.PENDING
    )
    held_on = models.DateField(_("date"), null=True, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("warning interview")
        verbose_name_plural = _("warning interviews")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "opened_at"], name="interview_queue_idx"),
            models.Index(fields=["enterprise", "-opened_at"], name="interview_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InterviewStatus.values),
                name="interview_status_known",
                violation_error_message=_("Unknown status of a warning interview."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", held_on__isnull=True, recorded_at__isnull=True, outcome="")
                | (
                    ~Q(status="pending")
                    & Q(held_on__isnull=False, recorded_at__isnull=False)
                    & Q(GreaterThan(Length(Trim("outcome")), 0))
                ),
                name="interview_record_complete",
                violation_error_message=_(
                    "A recorded interview has its date and outcome; one still to be held has neither."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(GreaterThan(Length(Trim("attendees")), 0)),
                name="interview_held_has_attendees",
                violation_error_message=_("A held interview names its attendees."),
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status="pending"),
                name="interview_one_pending_per_enterprise",
                violation_error_message=_("This enterprise already has a warning interview to be held."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.opened_at:%Y-%m-%d} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == InterviewStatus.PENDING


class AlertListEntryQuerySet(models.QuerySet):
    def on_list(self) -> AlertListEntryQuerySet:
        return self.filter(left_on__isnull=True)


class AlertListEntry(models.Model):
    """An enterprise on the alert list (大数据预警名单): adverse records from ``areas`` within the
    rule set's window. A public early warning; it ends (``left_on``) when the enterprise no longer
    qualifies at an evaluation."""

    classification = Classification.PUBLIC

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    rule_set = models.ForeignKey(
        "scoring.RuleSet", verbose_name=_("rule set version"), on_delete=models.PROTECT, related_name="+"
    )
    evaluation = models.ForeignKey(
        "scoring.Evaluation",
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The latest evaluation whose records kept the enterprise on the list."),
    )
    # Area keys: "kind:<agency kind>" for a specialised field (courts, market regulation, tax,
    # customs), "agency:<id>" for an agency of any other kind (each ministry or bureau its own field).
    areas = ArrayField(models.CharField(max_length=64), verbose_name=_("areas"))
    listed_on = models.DateField(_("on the list since"))
    left_on = models.DateField(_("left the list on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AlertListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert-list entry")
        verbose_name_plural = _("alert-list entries")
        ordering = ["-listed_on", "-id"]
        indexes = [
            models.Index(fields=["listed_on"], condition=Q(left_on__isnull=True), name="alert_on_list_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(left_on__isnull=True),
                name="alert_one_open_per_enterprise",
                violation_error_message=_("This enterprise is on the alert list already."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("listed_on")),
                name="alert_leaves_after_listing",
                violation_error_message=_("An enterprise leaves the alert list after it was put on it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.listed_on}"
