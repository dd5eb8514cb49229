"""The upload form of the verification page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# A credit report is a few hundred kilobytes; anything past this is not one of ours.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file to check"),
        help_text=_("The file you received, unchanged. At most 20 MB. It is compared, not kept."),
        widget=forms.FileInput(
            attrs={"accept": "application/pdf,.pdf", "aria-describedby": "report-file-help"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB, so it cannot be a credit report."))
        return upload
