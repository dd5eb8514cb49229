"""Removal from the abnormal-operations list after filing a missing annual report.

The annual reports a company files itself are in :mod:`filings.models`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from registry.models.records import REPORT_YEAR_MAX, REPORT_YEAR_MIN


class AbnormalRemovalApplication(models.Model):
    """A company's application to be removed from the abnormal-operations list after filing late."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    classification = Classification.RESTRICTED

    listing = models.ForeignKey(
        "registry.AbnormalOperationListing",
        verbose_name=_("listing"),
        on_delete=models.PROTECT,
        related_name="removal_applications",
    )
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
    submitted_at = models.DateTimeField(_("applied at"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("application for removal from the abnormal list")
        verbose_name_plural = _("applications for removal from the abnormal list")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=Q(status="pending"),
                name="removalapp_one_pending_per_listing",
                violation_error_message=_("An application for this listing is already pending."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | Q(status="approved", decided_by__isnull=False, decided_at__isnull=False)
                | (
                    Q(status="rejected", decided_by__isnull=False, decided_at__isnull=False)
                    & ~Q(reason__regex=r"^\s*$")
                ),
                name="removalapp_decision_complete",
                violation_error_message=_(
                    "A decision needs who and when; a rejection also needs a reason; a pending "
                    "application has no decision."
                ),
            ),
            models.CheckConstraint(
                condition=Q(report_year__gte=REPORT_YEAR_MIN) & Q(report_year__lte=REPORT_YEAR_MAX),
                name="removalapp_year_range",
                violation_error_message=_("The report year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} ({self.status})"
