"""Objections (异议): a company disputes a record on its own profile; the owning agency decides.

An objection names the disputed record by type and key (records of several apps, a list entry
among them), keeps a short summary both sides read, and the agency that must decide it
within ``settings.OBJECTION_DECISION_WORKING_DAYS`` working days. The decision (corrected / upheld,
with its reason) is recorded on the same row, all together. A "corrected" decision may correct the
record in the same step (``casework.services.objection_decide``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from casework.models.base import OPEN, DecidedApplication
from core.classification import Classification

REASON_MIN_LENGTH = 10


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
    # A credit evaluation (scoring): the caller names its deciding agency and summary.
    EVALUATION = "evaluation", _("credit evaluation")


class _Status(models.TextChoices):
    OPEN = "open", _("awaiting decision")
    CORRECTED = "corrected", _("corrected")
    UPHELD = "upheld", _("upheld")


class Objection(DecidedApplication):
    RecordType = _RecordType
    Status = _Status
    PENDING_STATUS = OPEN
    DECISION_OUTCOMES = (_Status.CORRECTED, _Status.UPHELD)

    # The company and the deciding agency see it; the public does not.
    classification = Classification.RESTRICTED

    record_type = models.CharField(_("record type"), max_length=32, choices=RecordType.choices)
    record_id = models.BigIntegerField(_("record key"))
    record_summary = models.CharField(_("record"), max_length=300)
    reason = models.TextField(_("reason for the objection"))
    documents = models.ManyToManyField(
        "registry.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="objections",
        db_table="registry_objection_documents",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta(DecidedApplication.Meta):
        db_table = "registry_objection"
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="objection_queue_idx"),
            models.Index(fields=["enterprise", "-submitted_at"], name="objection_enterprise_idx"),
        ]
        constraints = [
            *DecidedApplication.Meta.constraints,
            models.CheckConstraint(
                condition=Q(record_type__in=_RecordType.values),
                name="objection_record_type_known",
                violation_error_message=_("Unknown record type."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=_Status.values),
                name="objection_status_known",
                violation_error_message=_("Unknown status of an objection."),
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
                condition=Q(status="open") | Q(decided_by__isnull=False),
                name="objection_decided_by_a_clerk",
                violation_error_message=_("A decided objection names the clerk who decided it."),
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
