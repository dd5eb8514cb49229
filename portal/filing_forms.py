"""The annual report form of company self-service: the filing's report forms, laid out for a page.

The fields and their rules come from ``filings.forms``; this adds a "do not publish"
checkbox beside each field the law lets a company withhold, the PDF attachment, the amendment
note, and formsets (no JavaScript: a fixed number of blank rows) for the list parts. The pages
show them one section at a time (:mod:`portal.filing_steps`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.uploads import check_upload
from filings.forms import FILING_LISTS, FilingMainForm
from filings.models.annual_reports import FILING_WITHHOLDABLE

EXTRA_ROWS = 2
# Withhold choices that cover a group of fields rather than one field.
GROUP_WITHHOLD = {
    "social_insurance_paid": _("social insurance paid"),
    "guarantees": _("guarantees provided"),
}
WITHHOLD_PREFIX = "withhold_"

# The fieldsets of the main form, in the paper form's order: (legend, field names).
MAIN_GROUPS = (
    (_("Contact details"), ("contact_phone", "email", "postal_address", "postcode")),
    (_("Operation"), ("operating_status", "employees", "female_employees", "disabled_employees")),
    (
        _("Assets and results"),
        (
            "total_assets",
            "total_liabilities",
            "owners_equity",
            "revenue",
            "main_business_revenue",
            "profit",
            "net_profit",
            "tax_paid",
        ),
    ),
    (
        _("Social insurance"),
        (
            "insured_pension",
            "insured_medical",
            "insured_unemployment",
            "insured_work_injury",
            "insured_maternity",
            "paid_pension",
            "paid_medical",
            "paid_unemployment",
            "paid_work_injury",
            "paid_maternity",
        ),
    ),
)


class AnnualReportPageForm(FilingMainForm):
    """Main values, withhold checkboxes, attachment and note. Validated completely unless a draft."""

    attachment_file = forms.FileField(
        label=_("Attachment (PDF only)"),
        required=False,
        help_text=_("Optional. Checked by content: only a PDF file is accepted."),
    )
    note = forms.CharField(
        label=_("What the amendment changes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name in FILING_WITHHOLDABLE:
            subject = self.withhold_subject(name)
            self.fields[WITHHOLD_PREFIX + name] = forms.BooleanField(
                label=format_lazy("{}: {}", _("Do not publish"), subject), required=False
            )

    def clean_attachment_file(self):
        upload = self.cleaned_data.get("attachment_file")
        if upload is None:
            return None
        if check_upload(upload) != "application/pdf":
            raise ValidationError(_("The attachment must be a PDF file."), code="not_pdf")
        return upload

    @staticmethod
    def withhold_subject(name: str):
        """What a "do not publish" choice covers: the field's label or the group's name."""
        main = FilingMainForm.base_fields
        return main[name].label if name in main else GROUP_WITHHOLD[name]

    def report_values(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in FilingMainForm.base_fields and value not in (None, "")
        }

    def unpublished(self) -> list[str]:
        return [name for name in FILING_WITHHOLDABLE if self.cleaned_data.get(WITHHOLD_PREFIX + name)]


def _page_row_form(row_form: type[forms.Form]) -> type[forms.Form]:
    """The row form with a blank first choice, so an untouched blank row stays empty."""

    class PageRowForm(row_form):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("label_suffix", "")
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                if isinstance(field, forms.ChoiceField):
                    field.choices = [("", "—"), *list(field.choices)]

    PageRowForm.__name__ = f"Page{row_form.__name__}"
    return PageRowForm


class RowFormSet(forms.BaseFormSet):
    """Every row may be left blank: a blank row is dropped, a half-filled one is refused."""

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    def rows(self) -> list[dict]:
        return [
            {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


def list_formsets(*, data=None, initial: dict | None = None) -> dict[str, forms.BaseFormSet]:
    initial = initial or {}
    formsets = {}
    for key, (row_form, title) in FILING_LISTS.items():
        formset_class = forms.formset_factory(_page_row_form(row_form), formset=RowFormSet, extra=EXTRA_ROWS)
        formset = formset_class(data=data, initial=initial.get(key) or [], prefix=key)
        formset.title = title
        formsets[key] = formset
    return formsets


def page_initial(data: dict, unpublished) -> dict:
    """Initial values of the main form from a stored report document."""
    initial = {name: value for name, value in data.items() if name not in FILING_LISTS}
    for name in unpublished:
        initial[WITHHOLD_PREFIX + name] = True
    return initial
