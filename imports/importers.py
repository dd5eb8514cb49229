"""The register's enterprise import as an admin import: who may, and how its report is counted."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from imports.kinds import Importer, ImportOutcome
from registry.importing.enterprises import EnterpriseImportError, import_enterprises
from registry.models import Agency
from registry.services.audit import Actor


def _may_import(actor: Actor, target: str) -> bool:
    """The central office, and clerks of a registration authority (a market-regulation bureau)."""
    if is_unrestricted(actor):
        return True
    agency = clerk_agency(actor)
    return agency is not None and agency.kind == Agency.Kind.MARKET_REGULATION


def _run(*, path: Path, target: str, actor: Actor, write: bool, progress=None) -> ImportOutcome:
    try:
        report = import_enterprises(
            path=path,
            actor=actor,
            # A clerk's rows must be enterprises their own authority registers.
            authority=None if is_unrestricted(actor) else clerk_agency(actor),
            dry_run=not write,
            progress=progress,
        )
    except EnterpriseImportError as exc:
        return ImportOutcome(errors=exc.errors)
    return ImportOutcome(
        rows=len(report.created) + len(report.updated) + len(report.unchanged),
        create=len(report.created),
        change=len(report.updated),
        unchanged=len(report.unchanged),
        notes=[
            _("line %(line)d: %(uscc)s is imported as a legacy code (its check character fails)")
            % {"line": line, "uscc": uscc}
            for line, uscc in report.legacy
        ],
    )


ENTERPRISE_IMPORTER = Importer(
    kind="enterprises",
    label=lambda: _("Enterprises"),
    run=_run,
    may_import=_may_import,
    results_url=lambda target: reverse("admin:registry_enterprise_changelist"),
    docs="docs/import-enterprises.md",
)
