"""The form of the developer keys page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DeveloperKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new key"),
        max_length=80,
        help_text=_("What the key is for, so you can tell your keys apart (for example: nightly sync)."),
    )
