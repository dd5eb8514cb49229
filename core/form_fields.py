"""Form fields for the values checked in :mod:`core.validators`, shared by every app's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import (
    amount_text_clean,
    phone_normalise,
    validate_amount,
    validate_phone,
    validate_postcode,
    validate_signed_amount,
)


class AmountField(forms.DecimalField):
    """An amount of money in yuan: thousands separators accepted, two decimal places at most.

    A text box with a decimal keypad rather than ``type=number``, which would silently drop an
    amount typed with commas.
    """

    widget = forms.TextInput

    def __init__(self, *, signed: bool = False, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": _("Enter the amount as a number, like 1234567.89.")})
        super().__init__(**kwargs)
        self.validators.append(validate_signed_amount if signed else validate_amount)

    def widget_attrs(self, widget):
        return {"inputmode": "decimal", "spellcheck": "false"}

    def to_python(self, value):
        if isinstance(value, str):
            value = amount_text_clean(value)
        return super().to_python(value)


class PhoneField(forms.CharField):
    """A Chinese mobile or landline number, kept as typed without spaces and brackets."""

    default_validators = [validate_phone]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "type": "tel", "autocomplete": "tel"}

    def to_python(self, value):
        return phone_normalise(super().to_python(value))


class PostcodeField(forms.CharField):
    """Six digits; the length is part of the postcode check, so one message says what is wrong."""

    default_validators = [validate_postcode]

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "inputmode": "numeric",
            "autocomplete": "postal-code",
            "spellcheck": "false",
        }
