"""The imports a clerk may run from admin, registered by the app that owns the data.

This app offers the register's enterprise import (``imports.importers``); ``blacklists``
registers one importer for its lists; later imports (agency grades, inspection results) plug in
the same way, from their app's ``ready()``. The upload, preview, confirm and result pages, the
background queue and the audit trail (``imports.services``) are the same for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from registry.importing.spreadsheet import RowError
from registry.services.audit import Actor

Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class ImportTarget:
    code: str
    label: str


@dataclass
class ImportOutcome:
    """What an import found (a check) or did (a write): rows to create, change and leave alone."""

    rows: int = 0
    create: int = 0
    change: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Importer:
    kind: str
    label: Callable[[], str]
    # Checks (write=False) or writes the file; raises ImportFileError for a file it cannot read.
    run: Callable[..., ImportOutcome]
    may_import: Callable[[Actor, str], bool]
    # What the actor may import into (a list); None when the import has no target.
    targets: Callable[[Actor], list[ImportTarget]] | None = None
    target_label: Callable[[str], str] = lambda code: code
    # Where the clerk sees what was imported (an admin changelist), given the target.
    results_url: Callable[[str], str] | None = None
    docs: str = ""


_importers: dict[str, Importer] = {}


def importer_register(importer: Importer) -> None:
    _importers[importer.kind] = importer


def importer_for(kind: str) -> Importer | None:
    return _importers.get(kind)


def importers() -> list[Importer]:
    return list(_importers.values())
