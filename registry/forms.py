"""Admin forms for the master database.

These forms only validate and collect values. They never save: the admin hands
the cleaned values to the services in ``registry.services``, which validate
again, write and audit. When a service refuses a write, the admin re-displays
the same form with the service's message attached (see ``ServiceModelForm``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from core.privacy import normalise_resident_id
from registry.models import AnnualReport, Enterprise, Person
from registry.services import resident_id_error, uscc_error


class WriteOnlyTextInput(forms.TextInput):
    """A visible text box that never renders a value back into the page (for ID numbers)."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        return None


class ServiceModelForm(forms.ModelForm):
    """A model form that can show errors a service raised on an earlier attempt to save it.

    The admin sets ``service_errors`` on the form class it builds for a request:
    a mapping of form prefix (``None`` for the main form, ``"shareholders-0"``
    for an inline row) to the service's ``ValidationError``. The matching form
    attaches the error to the field it names, or to the form as a whole.
    """

    service_errors: dict = {}
    # Service field names that a form shows under another name (e.g. id_hash -> id_number).
    service_error_fields: dict[str, str] = {}

    def _post_clean(self):
        super()._post_clean()
        error = self.service_errors.get(self.prefix)
        if error is not None:
            self.add_service_error(error)

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            target = self.service_error_fields.get(name, name)
            if target in self.fields and not self.fields[target].disabled:
                self.add_error(target, errors)
            else:
                self.add_error(None, errors)


class LockedExistingRowsForm(ServiceModelForm):
    """Inline rows that already exist are shown but not editable (edit them on their own page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for field in self.fields.values():
                field.disabled = True


class EnterpriseForm(ServiceModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "registration_number",
            "name",
            "entity_type",
            "status",
            "legal_representative",
            "legal_representative_person",
            "registered_capital",
            "capital_currency",
            "established",
            "operating_from",
            "operating_to",
            "approved_on",
            "registration_authority",
            "region",
            "address",
            "industry",
            "business_scope",
        ]

    def clean_uscc(self) -> str:
        # The same message the service gives, on the field, before the model's generic ones.
        code = (self.cleaned_data.get("uscc") or "").strip().upper()
        message = uscc_error(code)
        if message:
            raise ValidationError(message, code="invalid_uscc")
        return code


ID_NUMBER_HELP = _(
    "18 characters. Only a keyed hash and the masked form (first 10 and last 4 characters) are "
    "stored; the number is never shown again. Sex and year of birth are taken from it."
)
# What the service derives from the ID number is reported on the ID number field.
PERSON_IDENTITY_ERRORS = {name: "id_number" for name in ("id_hash", "id_masked", "sex", "birth_year")}


class PersonAddForm(ServiceModelForm):
    """Name and a write-only resident ID number; ``person_create`` derives everything else."""

    id_number = forms.CharField(
        label=_("resident ID number"), max_length=32, widget=WriteOnlyTextInput(), help_text=ID_NUMBER_HELP
    )
    service_error_fields = PERSON_IDENTITY_ERRORS

    class Meta:
        model = Person
        fields = ["name"]

    def clean_id_number(self) -> str:
        number = normalise_resident_id(self.cleaned_data.get("id_number") or "")
        message = resident_id_error(number)
        if message:
            raise ValidationError(message, code="invalid_id_number")
        return number


class PersonChangeForm(PersonAddForm):
    """Rename a person, or correct a mistyped ID number (left empty, it stays as it is)."""

    id_number = forms.CharField(
        label=_("corrected resident ID number"),
        max_length=32,
        required=False,
        widget=WriteOnlyTextInput(),
        help_text=format_lazy("{} {}", _("Leave empty to keep the number on file."), ID_NUMBER_HELP),
    )

    def clean_id_number(self) -> str:
        if not (self.cleaned_data.get("id_number") or "").strip():
            return ""
        return super().clean_id_number()


class AnnualReportForm(ServiceModelForm):
    """Withheld fields as checkboxes. No Meta: the admin builds it for AnnualReport with its own fields."""

    unpublished_fields = forms.MultipleChoiceField(
        label=_("fields not published"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (name, capfirst(AnnualReport._meta.get_field(name).verbose_name))
            for name in AnnualReport.WITHHOLDABLE
        ],
        help_text=_("The enterprise files these but chose to keep them from the public."),
    )
