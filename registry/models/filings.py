"""Annual reports a company files itself (年度报告), their history, and removal from the abnormal list.

A filing holds the report as one JSON document whose shape is defined, and validated, by the
Django forms below: ``FilingMainForm`` for the single values and one row form per list. A draft
may be incomplete; a submission or amendment is validated completely and published at once as the
public :class:`~registry.models.records.AnnualReport`. Every submission and amendment is kept as an
:class:`AnnualReportFilingVersion`, never deleted.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from registry.models.records import ANNUAL_REPORT_WITHHOLDABLE, AnnualReport

# What a company may keep from the public (it must still file it).
FILING_WITHHOLDABLE = ANNUAL_REPORT_WITHHOLDABLE
FILING_YEAR_MIN, FILING_YEAR_MAX = 2000, 2100
MONEY_FIELD = {"max_digits": 20, "decimal_places": 2, "min_value": 0}
SIGNED_MONEY_FIELD = {"max_digits": 20, "decimal_places": 2}


def filing_window(year: int) -> tuple[dt.date, dt.date]:
    """The period in which the report for ``year`` is due: 1 January to 30 June of the next year."""
    return dt.date(year + 1, 1, 1), dt.date(year + 1, 6, 30)


# --- the shape of the report document ----------------------------------------------------------------
class SocialInsuranceScheme(models.TextChoices):
    PENSION = "pension", _("basic pension insurance for urban employees")
    MEDICAL = "medical", _("basic medical insurance for employees")
    UNEMPLOYMENT = "unemployment", _("unemployment insurance")
    WORK_INJURY = "work_injury", _("work-injury insurance")
    MATERNITY = "maternity", _("maternity insurance")


class FilingMainForm(forms.Form):
    """The single values of a report. ``complete=False`` (a draft) makes every field optional."""

    contact_phone = forms.CharField(label=_("Contact phone"), max_length=32)
    email = forms.EmailField(label=_("E-mail"))
    postal_address = forms.CharField(label=_("Postal address"), max_length=300)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", _("A postcode is six digits."))],
    )
    operating_status = forms.ChoiceField(label=_("Operating status"), choices=AnnualReport.OperatingStatus)
    employees = forms.IntegerField(label=_("Employees"), min_value=0)
    female_employees = forms.IntegerField(label=_("Of which female"), min_value=0, required=False)
    disabled_employees = forms.IntegerField(label=_("Of which disabled"), min_value=0, required=False)
    total_assets = forms.DecimalField(label=_("Total assets"), **MONEY_FIELD)
    total_liabilities = forms.DecimalField(label=_("Total liabilities"), **MONEY_FIELD)
    owners_equity = forms.DecimalField(label=_("Owners' equity"), **SIGNED_MONEY_FIELD)
    revenue = forms.DecimalField(label=_("Total revenue"), **MONEY_FIELD)
    main_business_revenue = forms.DecimalField(label=_("Main business revenue"), **MONEY_FIELD)
    profit = forms.DecimalField(label=_("Total profit"), **SIGNED_MONEY_FIELD)
    net_profit = forms.DecimalField(label=_("Net profit"), **SIGNED_MONEY_FIELD)
    tax_paid = forms.DecimalField(label=_("Tax paid"), **MONEY_FIELD)
    insured_pension = forms.IntegerField(label=_("Insured: pension"), min_value=0)
    insured_medical = forms.IntegerField(label=_("Insured: medical"), min_value=0)
    insured_unemployment = forms.IntegerField(label=_("Insured: unemployment"), min_value=0)
    insured_work_injury = forms.IntegerField(label=_("Insured: work injury"), min_value=0)
    insured_maternity = forms.IntegerField(label=_("Insured: maternity"), min_value=0)
    paid_pension = forms.DecimalField(label=_("Paid: pension"), **MONEY_FIELD)
    paid_medical = forms.DecimalField(label=_("Paid: medical"), **MONEY_FIELD)
    paid_unemployment = forms.DecimalField(label=_("Paid: unemployment"), **MONEY_FIELD)
    paid_work_injury = forms.DecimalField(label=_("Paid: work injury"), **MONEY_FIELD)
    paid_maternity = forms.DecimalField(label=_("Paid: maternity"), **MONEY_FIELD)

    def __init__(self, *args, complete: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not complete:
            for field in self.fields.values():
                field.required = False

    def clean(self):
        data = super().clean()
        employees = data.get("employees")
        for name in ("female_employees", "disabled_employees"):
            part = data.get(name)
            if employees is not None and part is not None and part > employees:
                self.add_error(name, _("This cannot be more than the number of employees."))
        return data


class InvestmentRowForm(forms.Form):
    name = forms.CharField(label=_("Enterprise invested in"), max_length=200)
    uscc = forms.CharField(
        label=_("Its unified social credit code"),
        max_length=18,
        validators=[
            RegexValidator(r"^[0-9A-HJ-NPQRTUWXY]{18}$", _("A unified social credit code is 18 characters."))
        ],
    )


class WebsiteRowForm(forms.Form):
    class Kind(models.TextChoices):
        WEBSITE = "website", _("website")
        SHOP = "shop", _("online shop")

    kind = forms.ChoiceField(label=_("Type"), choices=Kind)
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.URLField(label=_("Address (URL)"), max_length=300, assume_scheme="https")


class ContributionRowForm(forms.Form):
    shareholder = forms.CharField(label=_("Shareholder"), max_length=200)
    subscribed_amount = forms.DecimalField(label=_("Subscribed amount"), **MONEY_FIELD)
    subscribed_date = forms.DateField(label=_("Subscription date"))
    subscribed_method = forms.CharField(label=_("Subscription method"), max_length=32)
    paid_amount = forms.DecimalField(label=_("Paid-in amount"), required=False, **MONEY_FIELD)
    paid_date = forms.DateField(label=_("Paid-in date"), required=False)
    paid_method = forms.CharField(label=_("Payment method"), max_length=32, required=False)

    def clean(self):
        data = super().clean()
        subscribed, paid = data.get("subscribed_amount"), data.get("paid_amount")
        if subscribed is not None and paid is not None and paid > subscribed:
            self.add_error("paid_amount", _("Paid-in capital cannot exceed subscribed capital."))
        return data


class EquityTransferRowForm(forms.Form):
    shareholder = forms.CharField(label=_("Shareholder"), max_length=200)
    before_percent = forms.DecimalField(
        label=_("Share before (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    after_percent = forms.DecimalField(
        label=_("Share after (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    changed_on = forms.DateField(label=_("Date of change"))


class GuaranteeRowForm(forms.Form):
    class Kind(models.TextChoices):
        GENERAL = "general", _("general guarantee")
        JOINT = "joint", _("joint and several liability guarantee")
        NONE = "none", _("not agreed")

    creditor = forms.CharField(label=_("Creditor"), max_length=200)
    debtor = forms.CharField(label=_("Debtor"), max_length=200)
    principal = forms.DecimalField(label=_("Principal of the main claim"), **MONEY_FIELD)
    period_from = forms.DateField(label=_("Debt period from"))
    period_to = forms.DateField(label=_("Debt period to"))
    kind = forms.ChoiceField(label=_("Type of guarantee"), choices=Kind)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("An end date cannot come before its start date."))
        return data


# The list parts of a report: document key -> (row form, heading).
FILING_LISTS: dict[str, tuple[type[forms.Form], str]] = {
    "investments": (InvestmentRowForm, _("Investments in other enterprises")),
    "websites": (WebsiteRowForm, _("Websites and online shops")),
    "contributions": (ContributionRowForm, _("Shareholders' subscribed and paid-in capital")),
    "equity_transfers": (EquityTransferRowForm, _("Equity transfers")),
    "guarantees": (GuaranteeRowForm, _("Guarantees provided")),
}
SOCIAL_INSURANCE_SCHEMES = [scheme.value for scheme in SocialInsuranceScheme]


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
