"""The credit repair application form: one upload field per document the record requires."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import Document


class RepairApplicationForm(forms.Form):
    """Fields are named after the document kinds (``repair_application``, ...), all required."""

    def __init__(self, *args, required_documents: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.required_documents = list(required_documents)
        for kind in self.required_documents:
            self.fields[kind] = forms.FileField(
                label=Document.Kind(kind).label,
                help_text=_("PDF, JPEG or PNG."),
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            )
