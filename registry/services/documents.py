"""Storing uploaded evidence documents: checked by content, hashed, kept in private storage."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from core.uploads import check_upload
from registry.models import Document, Enterprise
from registry.services.audit import Actor, audit_record, snapshot


def document_store(*, enterprise: Enterprise, kind: str, uploaded_file, actor: Actor, via: str) -> Document:
    """Keep one uploaded file for ``enterprise``. Raises ValidationError naming the problem
    (empty, too large, not a PDF/JPEG/PNG by content, unknown kind)."""
    content_type = check_upload(uploaded_file)
    data = uploaded_file.read()
    digest = hashlib.sha256(data).hexdigest()
    document = Document(
        enterprise=enterprise,
        kind=kind,
        original_name=(getattr(uploaded_file, "name", "") or "")[-200:],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.full_clean(exclude=["file"])
    with transaction.atomic():
        # Same content, same stored name: a second upload of a file reuses the bytes on disk.
        document.file.save(digest, ContentFile(data), save=False)
        document.save()
        audit_record(actor=actor, via=via, action="create", instance=document, changes=_changes(document))
    return document


def _changes(document: Document) -> dict:
    return {name: [None, value] for name, value in snapshot(document).items() if name != "file"}
