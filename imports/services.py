"""A clerk's import from admin: upload, check (the preview), confirm, write all or nothing.

The importer (``imports.kinds``) does the work: the same functions the command-line
imports call. Small files are checked and written in the request; larger ones by the job queue
(``registry.services.jobs``), and the pages show the job's progress. The uploaded file is kept
as the import's evidence, a restricted document.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from core.uploads import SPREADSHEET_SUFFIX
from imports.kinds import Importer, ImportOutcome, importer_for
from imports.models import ImportRun
from registry.importing.spreadsheet import ImportFileError, RowError
from registry.models import AuditEntry, Job
from registry.services.audit import SYSTEM, Actor, audit_record
from registry.services.documents import document_read_record, files_removed_on_error, import_file_store
from registry.services.jobs import Progress, job_enqueue, job_handler_register

CHECK_JOB = "import.check"
WRITE_JOB = "import.write"
VIA = AuditEntry.Via.ADMIN


def inline_max_bytes() -> int:
    """Files up to this size are checked and written in the request; larger ones in the queue."""
    return int(getattr(settings, "IMPORT_INLINE_MAX_BYTES", 256 * 1024))


def _importer(kind: str) -> Importer:
    importer = importer_for(kind)
    if importer is None:
        raise ValidationError(_("There is no import called '%(kind)s'.") % {"kind": kind})
    return importer


def import_may_start(*, actor: Actor, kind: str, target: str) -> bool:
    importer = importer_for(kind)
    return importer is not None and importer.may_import(actor, target)


def import_runs_visible(actor: Actor, queryset=None):
    """The imports ``actor`` may see: their agency's; every import for the central office."""
    queryset = ImportRun.objects.all() if queryset is None else queryset
    if is_unrestricted(actor):
        return queryset
    agency = clerk_agency(actor)
    return queryset.none() if agency is None else queryset.filter(agency=agency)


def _require_may(actor: Actor, run_or_kind: ImportRun | str, target: str = "") -> None:
    if isinstance(run_or_kind, ImportRun):
        if not import_runs_visible(actor, ImportRun.objects.filter(pk=run_or_kind.pk)).exists():
            raise PermissionDenied(_("This import belongs to another agency."))
        kind, target = run_or_kind.kind, run_or_kind.target
    else:
        kind = run_or_kind
    if not import_may_start(actor=actor, kind=kind, target=target):
        raise PermissionDenied(_("Your agency may not import this data."))


def import_file_read(*, run: ImportRun, actor: Actor) -> AuditEntry:
    """Audit that ``actor`` read an import's file (restricted evidence); they must see the import."""
    if not import_runs_visible(actor, ImportRun.objects.filter(pk=run.pk)).exists():
        raise PermissionDenied(_("This import belongs to another agency."))
    return document_read_record(
        document=run.document, actor=actor, via=VIA, grounds=f"import {run.pk} (evidence)"
    )


def _audit(run: ImportRun, actor: Actor, action: str, changes: dict, reason: str = "") -> AuditEntry:
    return audit_record(actor=actor, via=VIA, action=action, instance=run, changes=changes, reason=reason)


def import_run_start(*, kind: str, target: str = "", uploaded_file, actor: Actor) -> ImportRun:
    """Keep the uploaded file and check it: in the request when small, else in the queue."""
    importer = _importer(kind)
    _require_may(actor, kind, target)
    if importer.targets is not None and not target:
        raise ValidationError(_("Choose what to import into."))
    with files_removed_on_error(), transaction.atomic():
        document = import_file_store(uploaded_file=uploaded_file, actor=actor, via=VIA)
        run = ImportRun(
            kind=kind,
            target=target,
            agency=clerk_agency(actor),
            created_by=actor if getattr(actor, "pk", None) else None,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            document=document,
            created_at=timezone.now(),
        )
        run.full_clean()
        run.save()
        _audit(run, actor, AuditEntry.Action.CREATE, {"kind": [None, kind], "target": [None, target]})
        if document.size > inline_max_bytes():
            run.job = job_enqueue(kind=CHECK_JOB, payload={"import_run": run.pk})
            run.save(update_fields=["job"])
    if run.job is None:
        run = import_run_check(run=run)
    return run


@contextlib.contextmanager
def _spreadsheet(run: ImportRun) -> Iterator[Path]:
    """The stored file under a name whose suffix the reader goes by (stored names are hashes)."""
    suffix = SPREADSHEET_SUFFIX[run.document.content_type]
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        path = Path(folder) / f"import-{run.pk}{suffix}"
        with run.document.file.open("rb") as source, open(path, "wb") as copy:
            shutil.copyfileobj(source, copy)
        yield path


def _errors_json(errors: list[RowError]) -> list[dict]:
    return [{"line": error.line, "column": error.column, "message": str(error.message)} for error in errors]


def _run_importer(run: ImportRun, *, write: bool, progress: Progress | None) -> ImportOutcome:
    importer = _importer(run.kind)
    actor = run.created_by or SYSTEM
    with translation.override(run.language), _spreadsheet(run) as path:
        try:
            return importer.run(path=path, target=run.target, actor=actor, write=write, progress=progress)
        except ImportFileError as exc:
            return ImportOutcome(errors=[RowError(0, "", str(exc))])
        except PermissionDenied as exc:
            return ImportOutcome(errors=[RowError(0, "", str(exc))])


def _counts(outcome: ImportOutcome) -> dict:
    return {
        "rows": outcome.rows,
        "create": outcome.create,
        "change": outcome.change,
        "unchanged": outcome.unchanged,
        "notes": outcome.notes,
    }


def import_run_check(*, run: ImportRun, progress: Progress | None = None) -> ImportRun:
    """The preview: every row checked and the write tried and rolled back; nothing is kept."""
    if run.status != ImportRun.Status.CHECKING:
        return run  # checked already: a retried job does nothing
    outcome = _run_importer(run, write=False, progress=progress)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.CHECKING:
            return run
        run.rows = outcome.rows
        run.errors = _errors_json(outcome.errors)
        run.preview = {} if outcome.errors else _counts(outcome)
        run.status = ImportRun.Status.INVALID if outcome.errors else ImportRun.Status.READY
        if outcome.errors:
            run.finished_at = timezone.now()
        run.full_clean()
        run.save()
    return run


def import_run_confirm(*, run: ImportRun, actor: Actor) -> ImportRun:
    """The clerk confirms the preview: write now (small files) or in the queue."""
    _require_may(actor, run)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.READY:
            raise ValidationError(_("Only a checked import without errors can be confirmed."))
        run.status = ImportRun.Status.WRITING
        if run.document.size > inline_max_bytes():
            run.job = job_enqueue(kind=WRITE_JOB, payload={"import_run": run.pk})
        else:
            run.job = None
        run.save(update_fields=["status", "job"])
    if run.job is None:
        run = import_run_write(run=run)
    return run


def import_run_cancel(*, run: ImportRun, actor: Actor) -> ImportRun:
    _require_may(actor, run)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in (ImportRun.Status.READY, ImportRun.Status.INVALID):
            raise ValidationError(_("Only an import that was not written can be cancelled."))
        before = run.status
        run.status = ImportRun.Status.CANCELLED
        run.finished_at = run.finished_at or timezone.now()
        run.save(update_fields=["status", "finished_at"])
        _audit(run, actor, AuditEntry.Action.UPDATE, {"status": [before, run.status]})
    return run


def import_run_write(*, run: ImportRun, progress: Progress | None = None) -> ImportRun:
    """Write every row or none; the import's own record and audit entry commit with the rows.

    Safe to run again: a written import is never written twice."""
    actor = run.created_by or SYSTEM
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.WRITING:
            return run
        outcome = _run_importer(run, write=True, progress=progress)
        run.finished_at = timezone.now()
        if outcome.errors:
            # The data changed since the preview: nothing was written; the clerk sees why.
            run.status = ImportRun.Status.INVALID
            run.errors = _errors_json(outcome.errors)
            run.save(update_fields=["status", "errors", "finished_at"])
            return run
        run.status = ImportRun.Status.DONE
        run.result = _counts(outcome)
        run.audit_entry = _audit(
            run,
            actor,
            AuditEntry.Action.UPDATE,
            {
                "status": [ImportRun.Status.READY, ImportRun.Status.DONE],
                "created": [None, outcome.create],
                "changed": [None, outcome.change],
                "unchanged": [None, outcome.unchanged],
            },
            reason=_("Import confirmed and written: %(rows)d rows.") % {"rows": outcome.rows},
        )
        run.full_clean()
        run.save(update_fields=["status", "result", "audit_entry", "finished_at"])
    return run


def _job_run(job: Job, progress: Progress) -> dict:
    run = ImportRun.objects.select_related("document", "created_by").get(pk=job.payload["import_run"])
    if job.kind == CHECK_JOB:
        run = import_run_check(run=run, progress=progress)
    else:
        run = import_run_write(run=run, progress=progress)
    return {"import_run": run.pk, "status": run.status}


def _job_failed(job: Job) -> None:
    ImportRun.objects.filter(pk=job.payload.get("import_run"), status__in=ImportRun.IN_PROGRESS).update(
        status=ImportRun.Status.FAILED, finished_at=timezone.now()
    )


def import_jobs_register() -> None:
    job_handler_register(CHECK_JOB, _job_run, failed=_job_failed)
    job_handler_register(WRITE_JOB, _job_run, failed=_job_failed)
