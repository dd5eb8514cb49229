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

from core.form_fields import AmountField, PhoneField, PostcodeField
from registry.models import AnnualReport

AMOUNT_HINT = _("In yuan, up to two decimal places, like 1,234,567.89.")
SIGNED_AMOUNT_HINT = _("In yuan, up to two decimal places; a loss with a minus sign, like -12,500.00.")


class SocialInsuranceScheme(models.TextChoices):
    PENSION = "pension", _("basic pension insurance for urban employees")
    MEDICAL = "medical", _("basic medical insurance for employees")
    UNEMPLOYMENT = "unemployment", _("unemployment insurance")
    WORK_INJURY = "work_injury", _("work-injury insurance")
    MATERNITY = "maternity", _("maternity insurance")


class FilingMainForm(forms.Form):
    """The single values of a report. ``complete=False`` (a draft) makes every field optional."""

    contact_phone = PhoneField(
        label=_("Contact phone"),
        help_text=_(
            "A mobile number, like 13812345678, or a landline with its area code, like 0551-1234567."
        ),
    )
    email = forms.EmailField(label=_("E-mail"))
    postal_address = forms.CharField(label=_("Postal address"), max_length=300)
    postcode = PostcodeField(label=_("Postcode"), help_text=_("Six digits, like 230001."))
    operating_status = forms.ChoiceField(label=_("Operating status"), choices=AnnualReport.OperatingStatus)
    employees = forms.IntegerField(label=_("Employees"), min_value=0)
    female_employees = forms.IntegerField(label=_("Of which female"), min_value=0, required=False)
    disabled_employees = forms.IntegerField(label=_("Of which disabled"), min_value=0, required=False)
    total_assets = AmountField(label=_("Total assets"), help_text=AMOUNT_HINT)
    total_liabilities = AmountField(label=_("Total liabilities"), help_text=AMOUNT_HINT)
    owners_equity = AmountField(label=_("Owners' equity"), signed=True, help_text=SIGNED_AMOUNT_HINT)
    revenue = AmountField(label=_("Total revenue"), help_text=AMOUNT_HINT)
    main_business_revenue = AmountField(label=_("Main business revenue"), help_text=AMOUNT_HINT)
    profit = AmountField(label=_("Total profit"), signed=True, help_text=SIGNED_AMOUNT_HINT)
    net_profit = AmountField(label=_("Net profit"), signed=True, help_text=SIGNED_AMOUNT_HINT)
    tax_paid = AmountField(label=_("Tax paid"), help_text=AMOUNT_HINT)
    insured_pension = forms.IntegerField(label=_("Insured: pension"), min_value=0)
    insured_medical = forms.IntegerField(label=_("Insured: medical"), min_value=0)
    insured_unemployment = forms.IntegerField(label=_("Insured: unemployment"), min_value=0)
    insured_work_injury = forms.IntegerField(label=_("Insured: work injury"), min_value=0)
    insured_maternity = forms.IntegerField(label=_("Insured: maternity"), min_value=0)
    paid_pension = AmountField(label=_("Paid: pension"), help_text=AMOUNT_HINT)
    paid_medical = AmountField(label=_("Paid: medical"), help_text=AMOUNT_HINT)
    paid_unemployment = AmountField(label=_("Paid: unemployment"), help_text=AMOUNT_HINT)
    paid_work_injury = AmountField(label=_("Paid: work injury"), help_text=AMOUNT_HINT)
    paid_maternity = AmountField(label=_("Paid: maternity"), help_text=AMOUNT_HINT)

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
    subscribed_amount = AmountField(label=_("Subscribed amount"), help_text=AMOUNT_HINT)
    subscribed_date = forms.DateField(label=_("Subscription date"))
    subscribed_method = forms.CharField(label=_("Subscription method"), max_length=32)
    paid_amount = AmountField(label=_("Paid-in amount"), required=False, help_text=AMOUNT_HINT)
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
    principal = AmountField(label=_("Principal of the main claim"), help_text=AMOUNT_HINT)
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
