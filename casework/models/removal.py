"""Removal from the abnormal-operations list (移出经营异常名录): a company listed for a missing annual
report files it late and applies to be removed; the agency that made the listing decides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.base import ApprovalStatus, DecidedApplication
from core.classification import Classification
from registry.models.records import REPORT_YEAR_MAX, REPORT_YEAR_MIN


class AbnormalRemovalApplication(DecidedApplication):
    """A company's application to be removed from the abnormal-operations list after filing late."""

    Status = ApprovalStatus

    DECISION_OUTCOMES = (Status.APPROVED, Status.REJECTED)

    classification = Classification.RESTRICTED

    listing = models.ForeignKey(
        "registry.AbnormalOperationListing",
        verbose_name=_("listing"),
        on_delete=models.PROTECT,
        related_name="removal_applications",
    )
    # Removed with the enterprise, as before the applications shared their base.
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="abnormal_removal_applications",
    )
    report_year = models.PositiveSmallIntegerField(_("report year filed"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)

    class Meta(DecidedApplication.Meta):
        db_table = "registry_abnormalremovalapplication"
        verbose_name = _("application for removal from the abnormal list")
        verbose_name_plural = _("applications for removal from the abnormal list")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="removalapp_queue_idx")]
        constraints = [
            *DecidedApplication.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="removalapp_status_known",
                violation_error_message=_("Unknown status of an application for removal."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False),
                name="removalapp_decided_by_a_clerk",
                violation_error_message=_("A decided application names the clerk who decided it."),
            ),
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status="pending"),
                name="removalapp_one_pending_per_listing",
                violation_error_message=_("An application for this listing is already pending."),
            ),
            models.CheckConstraint(
                condition=Q(report_year__gte=REPORT_YEAR_MIN) & Q(report_year__lte=REPORT_YEAR_MAX),
                name="removalapp_year_range",
                violation_error_message=_("The report year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} ({self.status})"
