"""The public dashboard's filters (the pages themselves are the portal's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from government.models import DEFAULTER_KINDS, DishonestyRecord
from government.selectors.dashboard import DashboardFilters, RowPosition
from registry.models import Enterprise
from registry.models.subjects import GOVERNMENT_KIND_VALUES

# As deep as the search result pages go: a reader wanting every row downloads the CSV.
MAX_PAGE = 100
DEFAULTER_RECORD_KINDS = [
    (value, label) for value, label in DishonestyRecord.Kind.choices if value in DEFAULTER_KINDS
]
PUBLIC_BODY_KINDS = [
    (value, label) for value, label in Enterprise.EntityType.choices if value in GOVERNMENT_KIND_VALUES
]


class GovernmentDashboardForm(forms.Form):
    """The dashboard's filters, all in the query string; each error names its field."""

    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        error_messages={"invalid_choice": _("Province: there is no province with the code %(value)s.")},
    )
    level = forms.ChoiceField(
        label=_("Level of government"),
        required=False,
        choices=[("", _("Every level")), *Enterprise.Level.choices],
        error_messages={"invalid_choice": _("Level of government: %(value)s is not a level.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of body"),
        required=False,
        choices=[("", _("Every kind of body")), *PUBLIC_BODY_KINDS],
        error_messages={"invalid_choice": _("Kind of body: %(value)s is not a kind of public body.")},
    )
    record = forms.ChoiceField(
        label=_("Record"),
        required=False,
        choices=[("", _("Court records and arrears")), *DEFAULTER_RECORD_KINDS],
        error_messages={"invalid_choice": _("Record: %(value)s is not a kind of record on this dashboard.")},
    )
    state = forms.ChoiceField(
        label=_("Open or cleared"),
        required=False,
        choices=[("", _("Open and cleared")), ("open", _("Still open")), ("cleared", _("Cleared"))],
        error_messages={"invalid_choice": _("Open or cleared: %(value)s is neither.")},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Page: the page number must be a whole number."),
            "min_value": _("Page: pages are numbered from 1."),
            "max_value": _("Page: only the first %(limit_value)s pages are shown; please narrow the search."),
        },
    )

    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]

    def filters(self) -> DashboardFilters:
        data = self.cleaned_data
        return DashboardFilters(
            province=data["province"],
            level=data["level"],
            body_kind=data["kind"],
            record_kind=data["record"],
            open_only=data["state"] == "open",
            cleared_only=data["state"] == "cleared",
        )

    def clean_after(self) -> RowPosition | None:
        text = self.cleaned_data["after"]
        if not text:
            return None
        try:
            return RowPosition.parse(text)
        except ValueError:
            raise forms.ValidationError(
                _("Next page: %(value)s is not a place in the list of records; start from the first page."),
                params={"value": text},
            ) from None

    def error_text(self) -> str:
        return " ".join(str(message) for messages in self.errors.values() for message in messages)
