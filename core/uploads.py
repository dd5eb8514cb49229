"""Checks on uploaded files: the content decides the type, never the name; sizes are bounded."""

from __future__ import annotations

import zipfile

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


# What a complete file of its type holds at its end: a PDF its end-of-file marker (looked for in the
# last kilobyte, as readers do), a PNG its IEND chunk. A file that only starts like one (an
# executable or a web page behind a forged header) is refused. JPEG is not checked at its end:
# phones append data after the end-of-image marker.
TRAILERS = {"application/pdf": b"%%EOF", "image/png": b"IEND\xaeB`\x82"}
TRAILER_WINDOW = 1024
KIND_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def _tail(uploaded_file, size: int) -> bytes:
    uploaded_file.seek(max(0, size - TRAILER_WINDOW))
    tail = uploaded_file.read(TRAILER_WINDOW)
    uploaded_file.seek(0)
    return tail


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
    tail = _tail(uploaded_file, size)
    if content_type in TRAILERS and TRAILERS[content_type] not in tail:
        raise ValidationError(
            _("The file starts like a %(kind)s but is not a complete one. Upload the document as saved.")
            % {"kind": KIND_NAMES[content_type]},
            code="truncated",
        )
    return content_type


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET_SUFFIX = {CSV: ".csv", XLSX: ".xlsx"}


# The parts every Excel workbook (Office Open XML, ECMA-376) holds; a zip without them is something
# else renamed .xlsx. Macros (vbaProject.bin) are not imported: a macro-enabled workbook is refused.
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
WORKBOOK_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _check_workbook(uploaded_file) -> None:
    not_a_workbook = ValidationError(
        _(
            "The file is a zip archive but not an Excel workbook (.xlsx). "
            "Save it from Excel as .xlsx or as CSV UTF-8."
        ),
        code="not_workbook",
    )
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if not all(part in names for part in WORKBOOK_PARTS):
                raise not_a_workbook
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError(
                    _(
                        "The workbook contains macros. "
                        "Save it as a plain Excel workbook (.xlsx) without macros."
                    ),
                    code="macros",
                )
            with archive.open("[Content_Types].xml") as types:
                if WORKBOOK_CONTENT_TYPE not in types.read(64 * 1024):
                    raise not_a_workbook
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise not_a_workbook from exc
    finally:
        uploaded_file.seek(0)


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
        _check_workbook(uploaded_file)
        return XLSX
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
