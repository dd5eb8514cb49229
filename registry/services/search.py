"""The register's subjects in the search engine: enterprise documents, written with the subject."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection

from registry.models import Enterprise
from search.models import SearchDocument
from search.services import (
    DocumentRow,
    RebuildReport,
    facet_lexeme,
    industry_facet,
    province_facet,
    province_of,
    search_document_row,
    search_document_write_one,
    search_documents_write_batches,
    search_index_after_bulk_write,
    status_facet,
)

ENTERPRISE_FIELDS = (
    "id",
    "name",
    "former_names",
    "uscc",
    "registration_number",
    "region_id",
    "established",
    "status",
    "legal_representative",
    "industry",
    "entity_type",
    "level",
)


def kind_facet(entity_type: str) -> str:
    """The facet of a kind of subject (``Enterprise.EntityType``): companies, organs, committees…"""
    return facet_lexeme("kind", entity_type)


def level_facet(level: str) -> str:
    """The facet of a government body's level (``Enterprise.Level``); businesses have none."""
    return facet_lexeme("level", level)


def enterprise_identifiers(uscc: str, registration_number: str = "") -> list[str]:
    """USCC, its organisation code (characters 9-17, GB 11714) and the old registration number."""
    keys = [uscc, registration_number]
    if len(uscc) == 18:
        keys.append(uscc[8:17])
    return [key for key in keys if key]


def enterprise_document_row(values: dict) -> DocumentRow:
    """The document of an enterprise from its ``ENTERPRISE_FIELDS`` values."""
    return search_document_row(
        kind=SearchDocument.Kind.ENTERPRISE,
        object_id=values["id"],
        name=values["name"],
        aliases=values["former_names"] or (),
        identifiers=enterprise_identifiers(values["uscc"], values["registration_number"] or ""),
        facets=[
            status_facet(values["status"]) if values["status"] else "",
            industry_facet(values["industry"]) if values.get("industry") else "",
            province_facet(province_of(values["region_id"])) if province_of(values["region_id"]) else "",
            kind_facet(values["entity_type"]) if values.get("entity_type") else "",
            level_facet(values["level"]) if values.get("level") else "",
        ],
        province=province_of(values["region_id"]),
        published_on=values["established"],
        extra={
            "uscc": values["uscc"],
            "status": values["status"],
            "legal_representative": values["legal_representative"] or "",
            "region": values["region_id"] or "",
        },
    )


def enterprise_search_document_refresh(*, enterprise: Enterprise) -> None:
    """Write the search document of ``enterprise`` (called by enterprise_create/update)."""
    search_document_write_one(
        enterprise_document_row({name: getattr(enterprise, name) for name in ENTERPRISE_FIELDS})
    )


# Documents of enterprises that no longer exist; the names are model metadata, never input.
_DELETE_ORPHANS_SQL = (
    f"DELETE FROM {SearchDocument._meta.db_table} doc WHERE doc.kind = %s AND NOT EXISTS "  # noqa: S608
    f"(SELECT 1 FROM {Enterprise._meta.db_table} e WHERE e.id = doc.object_id)"
)


def search_index_rebuild_enterprises(
    *, batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """(Re)build the documents of every enterprise, e.g. after a COPY load that bypassed services.

    Walks enterprises by primary key in batches (one transaction each), tokenises in Python and
    writes each batch with COPY (new documents) or one set-based upsert (existing ones, rewritten
    only when changed). Finally removes documents of enterprises that no longer exist. Safe to
    run again at any time, also while the site is serving searches.
    """
    report = RebuildReport()
    started = time.perf_counter()

    def batches():
        last_id = 0
        while True:
            batch = list(
                Enterprise.objects.filter(id__gt=last_id)
                .order_by("id")
                .values(*ENTERPRISE_FIELDS)[:batch_size]
            )
            if not batch:
                return
            last_id = batch[-1]["id"]
            yield [enterprise_document_row(values) for values in batch]

    report.documents = search_documents_write_batches(batches(), progress)
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_ORPHANS_SQL, [SearchDocument.Kind.ENTERPRISE])
        report.deleted = cursor.rowcount
    search_index_after_bulk_write()
    report.seconds = time.perf_counter() - started
    return report
