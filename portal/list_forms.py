"""The search form of a list's public page (/lists/<slug>/): every field in the query string, every
error naming its field, so a bad link gets a clear 400 page."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from blacklists.models import ListEntry
from portal.forms import result_page_field
from registry.models import Region

DATE_FORMAT = "%Y-%m-%d"
DIVISION_CODE = re.compile(r"^[1-9][0-9]{5}$")


def _date_field(label, invalid):
    return forms.DateField(
        label=label, required=False, input_formats=[DATE_FORMAT], error_messages={"invalid": invalid}
    )


class ListSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, USCC or decision number"), required=False, max_length=100, strip=True)
    region = forms.CharField(
        label=_("Region (division code)"),
        required=False,
        max_length=6,
        help_text=_(
            "A six-digit division code: a province (340000), a city (340100) or a county (340104). "
            "An entry is in a region when its issuing agency or its subject is."
        ),
        error_messages={"max_length": _("Region: a division code has six digits.")},
    )
    published_from = _date_field(_("Published from"), _("Published from: enter a date as YYYY-MM-DD."))
    published_to = _date_field(_("Published until"), _("Published until: enter a date as YYYY-MM-DD."))
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("Any severity")), *ListEntry.Severity.choices],
        error_messages={"invalid_choice": _("Severity: %(value)s is not a known severity.")},
    )
    page = result_page_field()

    def __init__(self, *args, holds_persons: bool = False, directory: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if holds_persons:
            self.fields["q"].label = _("Name, ID number, USCC or decision number")
            self.fields["q"].help_text = _(
                "At least two characters of a name; a full 18-character ID number or USCC; or a masked "
                "ID number exactly as published (XXXXXXXXXX****XXXX)."
            )
        else:
            self.fields["q"].help_text = _(
                "At least two characters of a name, a full 18-character USCC or a decision number."
            )
        if directory:
            self.fields["q"].label = _("Enterprise name or USCC")
            self.fields["q"].help_text = _("At least two characters of a name, or a full 18-character USCC.")
            self.fields["published_from"].label = _("Listed from")
            self.fields["published_to"].label = _("Listed until")
            self.fields["published_from"].error_messages["invalid"] = _(
                "Listed from: enter a date as YYYY-MM-DD."
            )
            self.fields["published_to"].error_messages["invalid"] = _(
                "Listed until: enter a date as YYYY-MM-DD."
            )
            del self.fields["severity"]

    def clean_q(self):
        value = self.cleaned_data["q"]
        if any(unicodedata.category(char) in {"Cc", "Cs"} for char in value):
            raise forms.ValidationError(
                _("The query contains control characters (such as tabs, NUL or BEL); remove them.")
            )
        return value

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        if not DIVISION_CODE.match(code):
            raise forms.ValidationError(
                _("Region: %(code)s is not a division code; enter six digits such as 340104.")
                % {"code": code}
            )
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("Region: there is no administrative division with the code %(code)s.") % {"code": code}
            )
        return region

    def clean(self):
        data = super().clean()
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("%(start)s is after %(end)s: the start of the date range must come first.")
                % {"start": self.fields["published_from"].label, "end": self.fields["published_to"].label}
            )
        return data

    def error_text(self) -> str:
        return " ".join(str(message) for messages in self.errors.values() for message in messages)
