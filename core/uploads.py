"""Checks on uploaded files: the content decides the type, never the name; sizes are bounded."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# (magic bytes, content type): PDF, JPEG (any JFIF/Exif marker), PNG.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes prove, or None."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_upload(uploaded_file) -> str:
    """The content type of an acceptable upload; a ValidationError naming the problem otherwise."""
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s bytes; at most %(limit)s bytes are accepted.")
            % {"size": size, "limit": limit},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            _("Only PDF, JPEG and PNG files are accepted (checked by content, not by name)."),
            code="type",
        )
    return content_type


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET_SUFFIX = {CSV: ".csv", XLSX: ".xlsx"}


def max_import_bytes() -> int:
    return int(getattr(settings, "MAX_IMPORT_UPLOAD_BYTES", 50 * 1024 * 1024))


def check_spreadsheet_upload(uploaded_file) -> str:
    """The content type of an importable spreadsheet (UTF-8 CSV or .xlsx), by content; a
    ValidationError naming the problem otherwise."""
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_import_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s bytes; at most %(limit)s bytes are accepted.")
            % {"size": size, "limit": limit},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(64 * 1024)
    uploaded_file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return XLSX  # a zip: openpyxl decides later whether it really is a workbook
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return CSV
        except UnicodeDecodeError as exc:
            # A character cut at the end of the sample is fine; a wrong byte before it is not.
            if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
                return CSV
            raise ValidationError(
                _("The CSV file is not UTF-8 (byte %(pos)d). Save it as 'CSV UTF-8' and try again.")
                % {"pos": exc.start},
                code="encoding",
            ) from exc
    raise ValidationError(
        _("Only UTF-8 .csv and .xlsx files can be imported (checked by content, not by name)."), code="type"
    )
