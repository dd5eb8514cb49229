"""Agency grades as an admin import (``imports.kinds``): one importer, a grading scheme per upload.

A clerk imports into the schemes their agency grades in (the tax services the tax credit grade,
Customs its credit rating); the upload, preview, queue and result pages are the imports app's.
"""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from blacklists.restrictions import local_name
from imports.kinds import Importer, ImportOutcome, ImportTarget
from registry.services.audit import Actor
from scoring.importing.agency_grades import AgencyGradeImportError, import_agency_grades
from scoring.models import AgencyGradeScheme
from scoring.services.agency_grades import agency_grade_may_import, agency_grade_schemes_importable


def _targets(actor: Actor) -> list[ImportTarget]:
    schemes = agency_grade_schemes_importable(actor).order_by("code")
    return [ImportTarget(code=scheme.code, label=local_name(scheme)) for scheme in schemes]


def _may_import(actor: Actor, target: str) -> bool:
    scheme = AgencyGradeScheme.objects.filter(code=target).first()
    return scheme is not None and agency_grade_may_import(actor, scheme)


def _target_label(code: str) -> str:
    scheme = AgencyGradeScheme.objects.filter(code=code).first()
    return local_name(scheme) if scheme else code


def _run(*, path: Path, target: str, actor: Actor, write: bool, progress=None) -> ImportOutcome:
    try:
        report = import_agency_grades(
            scheme_code=target, path=path, actor=actor, dry_run=not write, progress=progress
        )
    except AgencyGradeImportError as exc:
        return ImportOutcome(errors=exc.errors)
    return ImportOutcome(
        rows=report.rows,
        create=report.created,
        change=report.changed,
        unchanged=report.unchanged,
        notes=report.notes,
    )


def _results_url(code: str) -> str:
    url = reverse("admin:scoring_agencygrade_changelist")
    return f"{url}?scheme__code__exact={code}" if code else url


AGENCY_GRADE_IMPORTER = Importer(
    kind="agency-grades",
    label=lambda: _("Agency grades"),
    run=_run,
    may_import=_may_import,
    targets=_targets,
    target_label=_target_label,
    results_url=_results_url,
    docs="docs/agency-grades.md",
)
