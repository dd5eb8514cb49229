import re
import unicodedata

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, Enterprise
from search.query import MAX_PAGE


def result_page_field() -> forms.IntegerField:
    """The hidden page number of a search result page, with messages naming the problem."""
    return forms.IntegerField(
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


class DefaulterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, ID number, USCC or case number"),
        required=False,
        max_length=100,
        strip=True,
        help_text=_("At least two characters of a name; or a full 18-character ID number or USCC."),
    )
    province = forms.RegexField(label=_("Province"), regex=r"^[1-9][0-9]0000$", required=False)
    court = forms.CharField(
        label=_("Enforcing court"),
        required=False,
        max_length=100,
        help_text=_("Full name, e.g. Hefei Intermediate People's Court."),
    )
    list = forms.ChoiceField(
        label=_("List"),
        required=False,
        choices=[
            ("court-defaulters", _("Court defaulters")),
            ("consumption-restriction", _("Consumption restriction")),
            ("all", _("All court lists")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=50, widget=forms.HiddenInput)

    def clean_q(self):
        value = self.cleaned_data["q"]
        if any(ord(char) < 32 for char in value):
            raise forms.ValidationError(_("The query contains control characters."))
        return value

    def clean_court(self):
        name = self.cleaned_data["court"].strip()
        if not name:
            return None
        court = (
            Agency.objects.filter(kind=Agency.Kind.COURT)
            .filter(Q(name_zh=name) | Q(name_en__iexact=name))
            .first()
        )
        if court is None:
            raise forms.ValidationError(_("No court named %(name)s has published entries.") % {"name": name})
        return court


class EnterpriseSearchForm(forms.Form):
    """The public enterprise search: a query and optional filters, all in the query string.

    Every error names the field it is about, so a bad link gets a clear 400 page.
    """

    MAX_QUERY = 200
    ESTABLISHED = re.compile(r"^\s*(\d{4})\s*(?:[-–—~至]\s*(\d{4})\s*)?$")
    FIRST_YEAR = 1949

    q = forms.CharField(
        label=_("Enterprise name, USCC or registration number"),
        required=False,
        strip=True,
        help_text=_(
            "At least two characters of a name, a full 18-character USCC, or a full registration number."
        ),
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        error_messages={"invalid_choice": _("Province: there is no province with the code %(value)s.")},
    )
    status = forms.ChoiceField(
        label=_("Registration status"),
        required=False,
        choices=[("", _("Any status")), *Enterprise.Status.choices],
        error_messages={"invalid_choice": _("Registration status: %(value)s is not a known status.")},
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=[("", _("Any industry")), *Enterprise.Industry.choices],
        error_messages={"invalid_choice": _("Industry: %(value)s is not a GB/T 4754 section letter.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of subject"),
        required=False,
        choices=[("", _("Any kind")), *Enterprise.EntityType.choices],
        error_messages={"invalid_choice": _("Kind of subject: %(value)s is not a kind of subject.")},
    )
    level = forms.ChoiceField(
        label=_("Level of government"),
        required=False,
        choices=[("", _("Any level")), *Enterprise.Level.choices],
        error_messages={"invalid_choice": _("Level of government: %(value)s is not a level.")},
    )
    established = forms.CharField(
        label=_("Year established"),
        required=False,
        max_length=20,
        help_text=_("A year (2015) or a range of years (2010-2015)."),
        error_messages={"max_length": _("Year established: enter a year or a range such as 2010-2015.")},
    )
    listed_on = forms.ChoiceField(
        label=_("On the list"),
        required=False,
        error_messages={"invalid_choice": _("On the list: there is no public list called %(value)s.")},
    )
    page = result_page_field()

    def __init__(self, *args, provinces=(), lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        # ``lists``: the public lists a reader may pick (objects with ``slug`` and ``name``).
        self.fields["listed_on"].choices = [
            ("", _("Any list, or none")),
            *((item.slug, item.name) for item in lists),
        ]
        # clean_q refuses NUL with every other control character, in one message.
        self.fields["q"].validators = [
            validator
            for validator in self.fields["q"].validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    def clean_q(self):
        value = self.cleaned_data["q"]
        if len(value) > self.MAX_QUERY:
            raise forms.ValidationError(
                _(
                    "The query is %(length)d characters long; it may have at most %(max)d. "
                    "Enter part of a name, or a code."
                )
                % {"length": len(value), "max": self.MAX_QUERY}
            )
        if any(unicodedata.category(char) in {"Cc", "Cs"} for char in value):
            raise forms.ValidationError(
                _("The query contains control characters (such as tabs, NUL or BEL); remove them.")
            )
        return value

    def clean_established(self):
        value = self.cleaned_data["established"]
        if not value:
            return None
        found = self.ESTABLISHED.match(value)
        if not found:
            raise forms.ValidationError(_("Year established: enter a year or a range such as 2010-2015."))
        first = int(found.group(1))
        last = int(found.group(2) or first)
        this_year = timezone.localdate().year
        for year in (first, last):
            if not self.FIRST_YEAR <= year <= this_year:
                raise forms.ValidationError(
                    _("Year established: years run from %(first)d to %(last)d.")
                    % {"first": self.FIRST_YEAR, "last": this_year}
                )
        if first > last:
            raise forms.ValidationError(
                _("Year established: the first year of a range comes before the last.")
            )
        return (first, last)

    def error_text(self) -> str:
        """Every error as one sentence per problem, each naming its filter."""
        return " ".join(str(message) for messages in self.errors.values() for message in messages)


class UnifiedSearchForm(forms.Form):
    """The one search box over enterprises, list subjects and court defaulters, with its tab."""

    MAX_QUERY = EnterpriseSearchForm.MAX_QUERY
    TABS = ("all", "enterprises", "lists", "defaulters")

    q = forms.CharField(
        label=_("Name, USCC, ID number or case number"),
        required=False,
        strip=True,
        help_text=_(
            "At least two characters of a name; or a full USCC, registration number, ID number "
            "(full, or masked as published) or case number."
        ),
    )
    tab = forms.ChoiceField(
        label=_("Search in"),
        required=False,
        choices=[
            ("all", _("All")),
            ("enterprises", _("Enterprises")),
            ("lists", _("List subjects")),
            ("defaulters", _("Court defaulters")),
        ],
        error_messages={"invalid_choice": _("Search in: %(value)s is not one of the tabs.")},
    )
    list = forms.ChoiceField(
        label=_("List"),
        required=False,
        error_messages={"invalid_choice": _("List: there is no public list called %(value)s.")},
    )
    page = EnterpriseSearchForm.base_fields["page"]

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list"].choices = [
            ("", _("Every public list")),
            *((item.slug, item.name) for item in lists),
        ]
        self.fields["q"].validators = [
            validator
            for validator in self.fields["q"].validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    clean_q = EnterpriseSearchForm.clean_q

    def clean_tab(self):
        return self.cleaned_data["tab"] or "all"

    error_text = EnterpriseSearchForm.error_text
