"""The credit repair application form: one upload field per document the record requires."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from registry.models import Document


class RepairApplicationForm(forms.Form):
    """Fields are named after the document kinds (``repair_application``, ...), all required."""

    def __init__(self, *args, required_documents: list[str], kept: dict | None = None, **kwargs):
        """``kept``: documents uploaded before, by kind; their fields may be left empty to keep them."""
        super().__init__(*args, **kwargs)
        self.required_documents = list(required_documents)
        kept = kept or {}
        for kind in self.required_documents:
            hint = _("PDF, JPEG or PNG.")
            if kind in kept:
                hint = format_lazy(
                    "{} {}",
                    hint,
                    _("Attached: %(name)s. Choose a file only to replace it.")
                    % {"name": kept[kind].original_name},
                )
            self.fields[kind] = forms.FileField(
                label=Document.Kind(kind).label,
                help_text=hint,
                required=kind not in kept,
                widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            )
