"""Objections (异议): a company disputes a record on its own profile; the owning agency decides.

An objection names the disputed record by type and key (a list entry lives in ``blacklists``, which
this app cannot import), keeps a short summary both sides read, and the agency that must decide it
within ``settings.OBJECTION_DECISION_WORKING_DAYS`` working days. The decision (corrected / upheld,
with its reason) is recorded on the same row, all together. A "corrected" decision does not change
the record itself: the clerk corrects the record through the usual admin pages.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from core.workdays import working_days_between

REASON_MIN_LENGTH = 10


class BeijingDate(models.Func):
    """The calendar date of a timestamp in Beijing time, where the working-day deadlines run."""

    template = "((%(expressions)s) AT TIME ZONE 'Asia/Shanghai')::date"
    output_field = models.DateField()


class _RecordType(models.TextChoices):
    ENTERPRISE = "enterprise", _("business licence")
    SHAREHOLDER = "shareholder", _("shareholder")
    KEY_PERSONNEL = "key_personnel", _("key personnel")
    BRANCH = "branch", _("branch")
    CHANGE_RECORD = "change_record", _("change record")
    ANNUAL_REPORT = "annual_report", _("annual report")
    LICENCE = "licence", _("administrative licence")
    PENALTY = "penalty", _("administrative penalty")
    ABNORMAL_LISTING = "abnormal_listing", _("abnormal-operations listing")
    INSPECTION = "inspection", _("inspection result")
    COMMITMENT = "commitment", _("credit commitment")
    AWARD = "award", _("award or honour")
    LIST_ENTRY = "list_entry", _("list entry")


class _Status(models.TextChoices):
    OPEN = "open", _("awaiting decision")
    CORRECTED = "corrected", _("corrected")
    UPHELD = "upheld", _("upheld")


class Objection(models.Model):
    RecordType = _RecordType
    Status = _Status

    # The company and the deciding agency see it; the public does not.
    classification = Classification.RESTRICTED

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    record_type = models.CharField(_("record type"), max_length=32, choices=RecordType.choices)
    record_id = models.BigIntegerField(_("record key"))
    record_summary = models.CharField(_("record"), max_length=300)
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("deciding agency"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    reason = models.TextField(_("reason for the objection"))
    documents = models.ManyToManyField(
        "registry.Document", verbose_name=_("documents"), blank=True, related_name="objections"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    due_on = models.DateField(_("decision due"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="objection_queue_idx"),
            models.Index(fields=["enterprise", "-submitted_at"], name="objection_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(record_type__in=_RecordType.values),
                name="objection_record_type_known",
                violation_error_message=_("Unknown record type."),
            ),
            models.CheckConstraint(
                condition=Q(record_id__gt=0),
                name="objection_record_id_positive",
                violation_error_message=_("The record key must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length(Trim("reason")), REASON_MIN_LENGTH)),
                name="objection_reason_long_enough",
                violation_error_message=_("Explain the objection in at least 10 characters."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=BeijingDate("submitted_at")),
                name="objection_due_after_submitted",
                violation_error_message=_("The decision cannot be due before the objection was submitted."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status="open", decided_at__isnull=True, decided_by__isnull=True, decision_reason=""
                )
                | (
                    Q(status__in=["corrected", "upheld"], decided_at__isnull=False, decided_by__isnull=False)
                    & ~Q(decision_reason="")
                    & Q(decided_at__gte=F("submitted_at"))
                ),
                name="objection_decision_complete",
                violation_error_message=_(
                    "An open objection has no decision; a decided one has its outcome, time, clerk and "
                    "reason together, no earlier than its submission."
                ),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "record_type", "record_id"],
                condition=Q(status="open"),
                name="objection_one_open_per_record",
                violation_error_message=_("An objection to this record is already awaiting a decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} {self.record_summary}"

    @property
    def is_open(self) -> bool:
        return self.status == _Status.OPEN

    def working_days_left(self, today: dt.date) -> int:
        """Working days from ``today`` to the due date (negative once overdue)."""
        return working_days_between(today, self.due_on)

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and today > self.due_on
