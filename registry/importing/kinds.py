"""The imports a clerk may run from admin, registered by the app that owns the data.

The register offers the enterprise import; ``blacklists`` registers one importer for its lists;
later imports (agency grades, inspection results) plug in the same way, from their app's
``ready()``. The upload, preview, confirm and result pages, the background queue and the audit
trail (``registry.services.imports``) are the same for all of them.

Who is a clerk of which agency is known to ``accounts``, above the register: it registers how to
ask (``import_scope_register``), as the working-day calendar loader is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from registry.importing.spreadsheet import RowError
from registry.models import Agency
from registry.services.audit import Actor, is_system

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


@dataclass(frozen=True)
class ImportScope:
    unrestricted: bool
    agency: Agency | None


def _default_scope(actor: Actor) -> ImportScope:
    return ImportScope(unrestricted=is_system(actor), agency=None)


_scope: list[Callable[[Actor], ImportScope]] = [_default_scope]


def import_scope_register(resolver: Callable[[Actor], ImportScope]) -> None:
    _scope[0] = resolver


def import_scope(actor: Actor) -> ImportScope:
    """Whether ``actor`` imports for every agency, and the agency they import for."""
    return _scope[0](actor)
