"""Annual reports a company files itself (年度报告) and their history.

A filing holds the report as one JSON document whose shape is defined, and validated, by the
Django forms of :mod:`filings.forms`: ``FilingMainForm`` for the single values and one row form
per list. A draft may be incomplete; a submission or amendment is validated completely and
published at once as the public :class:`~registry.models.records.AnnualReport`. Every submission
and amendment is kept as an :class:`AnnualReportFilingVersion`, never deleted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from registry.models.records import ANNUAL_REPORT_WITHHOLDABLE, REPORT_YEAR_MAX, REPORT_YEAR_MIN

# What a company may keep from the public (it must still file it).
FILING_WITHHOLDABLE = ANNUAL_REPORT_WITHHOLDABLE
FILING_YEAR_MIN, FILING_YEAR_MAX = REPORT_YEAR_MIN, REPORT_YEAR_MAX


def filing_window(year: int) -> tuple[dt.date, dt.date]:
    """The period in which the report for ``year`` is due: 1 January to 30 June of the next year."""
    return dt.date(year + 1, 1, 1), dt.date(year + 1, 6, 30)


# --- the filing --------------------------------------------------------------------------------------
class AnnualReportFiling(models.Model):
    """The company's own annual report for one year: a draft until submitted, then amended."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    classification = Classification.RESTRICTED

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="annual_report_filings",
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("report"), default=dict, blank=True)
    unpublished_fields = ArrayField(
        models.CharField(max_length=32), verbose_name=_("fields not published"), default=list, blank=True
    )
    attachment = models.ForeignKey(
        "registry.Document",
        verbose_name=_("attachment (PDF)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    late = models.BooleanField(_("submitted late"), default=False)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "registry_annualreportfiling"
        verbose_name = _("annual report filing")
        verbose_name_plural = _("annual report filings")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="filing_one_per_year",
                violation_error_message=_("This enterprise already has a filing for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FILING_YEAR_MIN) & Q(year__lte=FILING_YEAR_MAX),
                name="filing_year_range",
                violation_error_message=_("The report year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True, submitted_by__isnull=True, late=False)
                | Q(status="submitted", submitted_at__isnull=False, submitted_by__isnull=False),
                name="filing_submitted_fields_together",
                violation_error_message=_(
                    "A submitted filing has its submission time and submitter; a draft has neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(unpublished_fields__contained_by=list(FILING_WITHHOLDABLE)),
                name="filing_unpublished_fields_known",
                violation_error_message=_("Only the fields the law lets a company withhold may be withheld."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} ({self.status})"

    def clean(self):
        super().clean()
        if self.attachment_id is not None:
            attachment = self.attachment
            if attachment.enterprise_id != self.enterprise_id:
                raise ValidationError({"attachment": _("The attachment belongs to another enterprise.")})
            if attachment.content_type != "application/pdf":
                raise ValidationError({"attachment": _("The attachment must be a PDF file.")})

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return filing_window(self.year)


class AnnualReportFilingVersion(models.Model):
    """One submission or amendment of a filing, as filed: the history, never changed or deleted."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("submission")
        AMENDMENT = "amendment", _("amendment")

    classification = Classification.RESTRICTED

    filing = models.ForeignKey(
        AnnualReportFiling, verbose_name=_("filing"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    data = models.JSONField(_("report"), default=dict, blank=True)
    unpublished_fields = ArrayField(
        models.CharField(max_length=32), verbose_name=_("fields not published"), default=list, blank=True
    )
    attachment = models.ForeignKey(
        "registry.Document",
        verbose_name=_("attachment (PDF)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    late = models.BooleanField(_("filed late"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("filed at"))

    class Meta:
        db_table = "registry_annualreportfilingversion"
        verbose_name = _("annual report version")
        verbose_name_plural = _("annual report versions")
        ordering = ["filing", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "number"],
                name="filingversion_number_unique",
                violation_error_message=_("This filing already has a version with this number."),
            ),
            models.CheckConstraint(
                condition=Q(kind="submission", number=1)
                | (Q(kind="amendment", number__gt=1) & ~Q(note__regex=r"^\s*$")),
                name="filingversion_kind_matches_number",
                violation_error_message=_(
                    "The first version is the submission; every later one is an amendment with a note."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing} v{self.number}"
