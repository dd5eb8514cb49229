"""Forms of instant disclosure (即时信息公示), one per kind: the date of the fact and the kind's details."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.form_fields import AmountField
from filings.forms import AMOUNT_HINT
from filings.models import InstantDisclosure
from filings.models.disclosures import DETAIL_LABELS, IP_KINDS, LICENCE_ACTIONS, PLEDGE_STATUSES

Kind = InstantDisclosure.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


def _text(
    name: str, *, max_length: int = 200, required: bool = True, textarea: bool = False
) -> forms.CharField:
    return forms.CharField(
        label=DETAIL_LABELS[name],
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}) if textarea else None,
    )


class DisclosureForm(forms.Form):
    """The date of the fact, then the kind's details. ``details()`` gives them as stored."""

    kind: str = ""
    occurred_label = _("Date of the fact")
    detail_names: tuple[str, ...] = ()

    occurred_on = _date(_("Date of the fact"))
    reason = forms.CharField(
        label=_("Why are you correcting this disclosure?"),
        max_length=500,
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].label = self.occurred_label
        self.correcting = correcting
        if correcting:
            self.fields["reason"].required = True
            self.order_fields([*(name for name in self.fields if name != "reason"), "reason"])
        else:
            del self.fields["reason"]

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the fact cannot be in the future."))
        return day

    def details(self) -> dict[str, str]:
        data = self.cleaned_data
        found = {}
        for name in self.detail_names:
            value = data.get(name)
            if value in (None, ""):
                continue
            found[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return found

    @classmethod
    def initial_from(cls, disclosure: InstantDisclosure) -> dict:
        return {"occurred_on": disclosure.occurred_on, **disclosure.details}


def _amount(name: str) -> forms.DecimalField:
    return AmountField(label=DETAIL_LABELS[name], help_text=AMOUNT_HINT)


def _percent(name: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=DETAIL_LABELS[name],
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )


class CapitalContributionForm(DisclosureForm):
    kind = Kind.CAPITAL_CONTRIBUTION.value
    occurred_label = _("Date of the contribution")
    detail_names = ("shareholder", "subscribed_amount", "paid_amount", "method")

    shareholder = _text("shareholder")
    subscribed_amount = _amount("subscribed_amount")
    paid_amount = _amount("paid_amount")
    method = forms.ChoiceField(
        label=DETAIL_LABELS["method"],
        choices=[
            ("货币", _("money (货币)")),
            ("实物", _("in kind (实物)")),
            ("知识产权", _("intellectual property (知识产权)")),
            ("土地使用权", _("land-use right (土地使用权)")),
            ("股权", _("equity (股权)")),
            ("其他", _("other (其他)")),
        ],
    )

    def clean(self):
        data = super().clean()
        subscribed, paid = data.get("subscribed_amount"), data.get("paid_amount")
        if subscribed is not None and paid is not None and paid > subscribed:
            self.add_error("paid_amount", _("The paid-in amount cannot exceed the subscribed amount."))
        return data


class EquityChangeForm(DisclosureForm):
    kind = Kind.EQUITY_CHANGE.value
    occurred_label = _("Date of the change")
    detail_names = ("shareholder", "share_before", "share_after")

    shareholder = _text("shareholder")
    share_before = _percent("share_before")
    share_after = _percent("share_after")

    def clean(self):
        data = super().clean()
        if data.get("share_before") is not None and data.get("share_before") == data.get("share_after"):
            self.add_error("share_after", _("The share after the change is the same as before."))
        return data


class LicenceForm(DisclosureForm):
    kind = Kind.LICENCE.value
    occurred_label = _("Date of the licence decision")
    detail_names = ("action", "number", "name", "authority", "valid_from", "valid_to", "content")

    action = forms.ChoiceField(label=DETAIL_LABELS["action"], choices=list(LICENCE_ACTIONS.items()))
    number = _text("number", max_length=100)
    name = forms.CharField(label=_("Licence name"), max_length=200)
    authority = forms.CharField(label=_("Issuing authority"), max_length=200)
    valid_from = _date(DETAIL_LABELS["valid_from"])
    valid_to = _date(DETAIL_LABELS["valid_to"], required=False)
    content = forms.CharField(
        label=_("Licensed content"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of validity is before its start."))
        return data


class IPPledgeForm(DisclosureForm):
    kind = Kind.IP_PLEDGE.value
    occurred_label = _("Date of the pledge registration")
    detail_names = (
        "registration_number",
        "name",
        "ip_kind",
        "pledgor",
        "pledgee",
        "period_from",
        "period_to",
        "status",
    )

    registration_number = _text("registration_number", max_length=100)
    name = forms.CharField(label=_("Name of the trademark or patent"), max_length=200)
    ip_kind = forms.ChoiceField(label=DETAIL_LABELS["ip_kind"], choices=list(IP_KINDS.items()))
    pledgor = _text("pledgor")
    pledgee = _text("pledgee")
    period_from = _date(DETAIL_LABELS["period_from"])
    period_to = _date(DETAIL_LABELS["period_to"])
    status = forms.ChoiceField(label=DETAIL_LABELS["status"], choices=list(PLEDGE_STATUSES.items()))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the pledge period is before its start."))
        return data


class PenaltyForm(DisclosureForm):
    kind = Kind.PENALTY.value
    occurred_label = _("Decision date")
    detail_names = ("decision_number", "violation", "content", "authority")

    decision_number = _text("decision_number", max_length=100)
    violation = _text("violation")
    content = forms.CharField(label=_("Penalty"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    authority = forms.CharField(label=_("Deciding authority"), max_length=200)


FORMS: dict[str, type[DisclosureForm]] = {
    form.kind: form
    for form in (CapitalContributionForm, EquityChangeForm, LicenceForm, IPPledgeForm, PenaltyForm)
}
