import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import sniff_content_type
from registry.models import AuditEntry, Document
from registry.services import document_store
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    ("head", "expected"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (b"MZ\x90\x00", None), (b"", None)],
)
def test_content_decides_the_type(head, expected):
    assert sniff_content_type(head) == expected


def test_a_pdf_is_stored_privately_by_its_hash_with_an_audit_entry(settings):
    enterprise = EnterpriseFactory()
    document = document_store(
        enterprise=enterprise,
        kind="proof_of_performance",
        uploaded_file=SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
        actor=SYSTEM,
        via="form",
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert (document.content_type, document.size, document.sha256) == ("application/pdf", len(PDF), digest)
    stored = Path(document.file.path)
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    assert document.original_name == "receipt.pdf"
    assert AuditEntry.objects.filter(object_pk=str(document.pk), action="create").exists()


def test_a_renamed_executable_is_refused_by_content():
    upload = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    with pytest.raises(ValidationError, match="checked by content"):
        document_store(
            enterprise=EnterpriseFactory(), kind="other", uploaded_file=upload, actor=SYSTEM, via="form"
        )
    assert not Document.objects.exists()


def test_size_limit_and_empty_files_are_refused(settings):
    settings.MAX_UPLOAD_BYTES = 100
    enterprise = EnterpriseFactory()
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 200, content_type="image/png")
    with pytest.raises(ValidationError, match="at most 100 bytes"):
        document_store(enterprise=enterprise, kind="other", uploaded_file=big, actor=SYSTEM, via="form")
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    with pytest.raises(ValidationError, match="empty"):
        document_store(enterprise=enterprise, kind="other", uploaded_file=empty, actor=SYSTEM, via="form")
    assert not Document.objects.exists()


def test_database_refuses_other_content_types_and_bad_hashes():
    enterprise = EnterpriseFactory()
    base = {"enterprise": enterprise, "kind": "other", "file": "documents/x", "size": 10, "sha256": "a" * 64}
    assert_refused_both_ways(
        Document(**base | {"content_type": "application/x-msdownload"}), message="Only PDF, JPEG and PNG"
    )
    assert_refused_both_ways(
        Document(**base | {"content_type": "image/png", "sha256": "XYZ"}), message="64 lower-case"
    )
