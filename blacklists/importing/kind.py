"""The list import as an admin import (``registry.importing.kinds``): one importer, a list per upload.

Every list can be imported (the court lists in the court site's format, the others in the agency
format of ``blacklists.importing.agency``). A clerk imports into the lists their agency owns
(``blacklists.permissions``); the upload, preview, queue and result pages are the register's.
"""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blacklists.importing.run import ListImportError, import_list
from blacklists.models import ListType
from blacklists.permissions import maintainable_list_types, may_maintain
from imports.kinds import Importer, ImportOutcome, ImportTarget
from registry.services.audit import Actor


def _name(list_type: ListType) -> str:
    return list_type.name_zh if (get_language() or "").startswith("zh") else list_type.name_en


def _targets(actor: Actor) -> list[ImportTarget]:
    lists = maintainable_list_types(actor, ListType.objects.all()).order_by("code")
    return [ImportTarget(code=list_type.code, label=_name(list_type)) for list_type in lists]


def _may_import(actor: Actor, target: str) -> bool:
    list_type = ListType.objects.select_related("owner").filter(code=target).first()
    return list_type is not None and may_maintain(actor, list_type=list_type)


def _target_label(code: str) -> str:
    list_type = ListType.objects.filter(code=code).first()
    return _name(list_type) if list_type else code


def _run(*, path: Path, target: str, actor: Actor, write: bool, progress=None) -> ImportOutcome:
    try:
        report = import_list(list_code=target, path=path, actor=actor, dry_run=not write, progress=progress)
    except ListImportError as exc:
        return ImportOutcome(errors=exc.errors)
    return ImportOutcome(
        rows=report.created + report.unchanged, create=report.created, unchanged=report.unchanged
    )


def _results_url(code: str) -> str:
    list_type = ListType.objects.filter(code=code).only("pk").first()
    url = reverse("admin:blacklists_listentry_changelist")
    return f"{url}?list_type__id__exact={list_type.pk}" if list_type else url


LIST_IMPORTER = Importer(
    kind="list",
    label=lambda: _("List entries"),
    run=_run,
    may_import=_may_import,
    targets=_targets,
    target_label=_target_label,
    results_url=_results_url,
    docs="docs/import-lists.md",
)
