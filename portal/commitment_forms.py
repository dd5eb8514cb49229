"""Forms of a credit commitment letter: the matter it is about, then the signature."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings.commitment_templates import DATE_MATTER, MATTER_LABELS, TEMPLATES
from filings.models import CreditCommitment

SIGNER_MAX = CreditCommitment._meta.get_field("signer_name").max_length


class MatterForm(forms.Form):
    """The fields of the matter a letter of ``kind`` is about (none for a voluntary letter)."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in TEMPLATES[kind].matter:
            if name in DATE_MATTER:
                self.fields[name] = forms.DateField(
                    label=MATTER_LABELS[name],
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )
            elif name == "missing_documents":
                self.fields[name] = forms.CharField(
                    label=MATTER_LABELS[name], max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                self.fields[name] = forms.CharField(label=MATTER_LABELS[name], max_length=200)

    def clean_supply_by(self):
        day = self.cleaned_data["supply_by"]
        if day <= timezone.localdate():
            raise forms.ValidationError(
                _("The date by which the documents will be supplied must be in the future.")
            )
        return day


class SignForm(forms.Form):
    signer_name = forms.CharField(
        label=_("Name of the person signing"),
        max_length=SIGNER_MAX,
        help_text=_("As it will be published with the letter."),
    )
    authorised = forms.BooleanField(
        label=_("I am authorised to sign for the enterprise"),
        error_messages={"required": _("Confirm that you are authorised to sign for the enterprise.")},
    )
