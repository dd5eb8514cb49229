"""The shape of an annual report filed by the company: the forms that define and validate its document.

``FilingMainForm`` holds the single values; :data:`FILING_LISTS` names the list parts and the form
of one row of each. A draft is checked with ``complete=False``; a submission or amendment
completely (see :func:`filings.services.annual_reports.filing_data_clean`).
"""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import AnnualReport

MONEY_FIELD = {"max_digits": 20, "decimal_places": 2, "min_value": 0}
SIGNED_MONEY_FIELD = {"max_digits": 20, "decimal_places": 2}


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
