"""Storing uploaded evidence documents: checked by content, hashed, kept in private storage.

A file is written before the transaction that records it commits. So that a transaction that rolls
back leaves no file behind, every write of a service happens inside :func:`files_removed_on_error`
(``document_store`` opens one itself): when the block ends with an exception, that is when its
transaction rolled back, the files written inside it are deleted again. A service that stores a
document and then records something else with it opens the block around its own
``transaction.atomic()``, so both are one unit.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.core.files.base import ContentFile
from django.db import transaction

from core.uploads import check_spreadsheet_upload, check_upload
from registry.models import AuditEntry, Document, Enterprise
from registry.models.documents import private_storage
from registry.services.audit import Actor, audit_record, snapshot

# The names of the files written in the innermost open files_removed_on_error block.
_written: ContextVar[list[str] | None] = ContextVar("documents_written", default=None)


@contextlib.contextmanager
def files_removed_on_error() -> Iterator[None]:
    """Delete the files ``document_store`` writes inside the block when the block raises.

    Put it outside the service's ``transaction.atomic()``: the rollback comes first, then the files
    go. Each write has a name of its own (the storage never overwrites a file), so only the bytes
    this block wrote are removed. Nested blocks hand their files on to the enclosing one.
    """
    outer = _written.get()
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for name in written:
            private_storage().delete(name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


def document_store(*, enterprise: Enterprise, kind: str, uploaded_file, actor: Actor, via: str) -> Document:
    """Keep one uploaded file for ``enterprise``. Raises ValidationError naming the problem
    (empty, too large, not a PDF/JPEG/PNG by content, unknown kind)."""
    content_type = check_upload(uploaded_file)
    return _store(
        enterprise=enterprise,
        kind=kind,
        content_type=content_type,
        uploaded_file=uploaded_file,
        actor=actor,
        via=via,
    )


def import_file_store(*, uploaded_file, actor: Actor, via: str) -> Document:
    """Keep a clerk's import spreadsheet (UTF-8 CSV or .xlsx, by content) as the import's evidence:
    restricted, in private storage, like every document. Raises ValidationError naming the problem."""
    content_type = check_spreadsheet_upload(uploaded_file)
    return _store(
        enterprise=None,
        kind=Document.Kind.IMPORT_FILE,
        content_type=content_type,
        uploaded_file=uploaded_file,
        actor=actor,
        via=via,
    )


def _store(
    *, enterprise: Enterprise | None, kind: str, content_type: str, uploaded_file, actor: Actor, via: str
) -> Document:
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
    with files_removed_on_error(), transaction.atomic():
        # The stored name is the content hash; a second upload of the same bytes gets a suffix.
        document.file.save(digest, ContentFile(data), save=False)
        written = _written.get()
        if written is not None:
            written.append(document.file.name)
        document.save()
        audit_record(actor=actor, via=via, action="create", instance=document, changes=_changes(document))
    return document


def document_read_record(*, document: Document, actor: Actor, via: str, grounds: str) -> AuditEntry:
    """Audit that ``actor`` (a clerk or the central office) read ``document``, and on what grounds."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            via=via,
            action=AuditEntry.Action.READ,
            instance=document,
            changes={},
            reason=grounds,
        )


def _changes(document: Document) -> dict:
    return {name: [None, value] for name, value in snapshot(document).items() if name != "file"}
