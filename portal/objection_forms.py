"""The objection form a company fills in: its reason and up to five documents as evidence."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models.objections import REASON_MIN_LENGTH
from casework.services.objections import MAX_DOCUMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files; each one is checked by content when it is stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the record is wrong"),
        min_length=REASON_MIN_LENGTH,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At least 10 characters. Say what is wrong and what the record should say."),
    )
    documents = MultipleFileField(
        label=_("Documents (evidence)"),
        required=False,
        help_text=_("Up to 5 files, PDF, JPEG or PNG."),
    )

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        if len(files) > MAX_DOCUMENTS:
            raise forms.ValidationError(
                _("Attach at most %(count)s documents."), params={"count": MAX_DOCUMENTS}, code="too_many"
            )
        return files
