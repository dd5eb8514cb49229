"""Uploads are judged by their content, never by their name (core.uploads, docs/security.md)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.uploads import XLSX, check_spreadsheet_upload, check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"IEND\xaeB`\x82"
WINDOWS_EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"This program cannot be run in DOS mode."
)
ELF_EXECUTABLE = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
WORD_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WEB_PAGE = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def code_of(check, uploaded) -> str:
    with pytest.raises(ValidationError) as refused:
        check(uploaded)
    return refused.value.code


@pytest.mark.parametrize("content", [WINDOWS_EXECUTABLE, ELF_EXECUTABLE, WEB_PAGE, b"<svg onload=alert(1)>"])
def test_a_file_named_pdf_that_holds_an_executable_or_a_web_page_is_refused(content):
    assert code_of(check_upload, upload("receipt.pdf", content)) == "type"


def test_a_web_page_behind_a_forged_pdf_header_is_refused():
    forged = b"%PDF-1.4\n" + WEB_PAGE
    assert code_of(check_upload, upload("receipt.pdf", forged)) == "truncated"


def test_a_png_cut_short_is_refused_and_a_whole_one_accepted():
    assert code_of(check_upload, upload("scan.png", PNG[:-12], "image/png")) == "truncated"
    assert check_upload(upload("scan.png", PNG, "image/png")) == "image/png"


def test_a_real_pdf_is_accepted_whatever_its_name():
    assert check_upload(upload("scan.jpg", PDF, "image/jpeg")) == "application/pdf"


def workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(["统一社会信用代码", "名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_real_workbook_is_accepted():
    assert check_spreadsheet_upload(upload("list.xlsx", workbook_bytes(), XLSX)) == XLSX


@pytest.mark.parametrize(
    "content",
    [
        zip_of({"readme.txt": b"not a workbook"}),
        # a Word document renamed .xlsx: the parts of another kind of OOXML file
        zip_of(
            {
                "[Content_Types].xml": WORD_DOCUMENT_TYPE,
                "xl/workbook.xml": b"<workbook/>",
            }
        ),
        b"PK\x03\x04" + b"\x00" * 40,  # a zip header and nothing after it
    ],
)
def test_a_zip_that_is_not_a_workbook_is_refused(content):
    assert code_of(check_spreadsheet_upload, upload("list.xlsx", content, XLSX)) == "not_workbook"


def test_a_workbook_with_macros_is_refused():
    with zipfile.ZipFile(io.BytesIO(workbook_bytes())) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0macro"
    assert code_of(check_spreadsheet_upload, upload("list.xlsx", zip_of(parts), XLSX)) == "macros"


@pytest.mark.parametrize("content", [WINDOWS_EXECUTABLE, ELF_EXECUTABLE])
def test_an_executable_named_xlsx_or_csv_is_refused(content):
    for name in ("list.xlsx", "list.csv"):
        assert code_of(check_spreadsheet_upload, upload(name, content, XLSX)) == "type"
