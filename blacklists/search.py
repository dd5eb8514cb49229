"""List entries in the shared search index (search): only entries in force are published.

Each entry's document carries, besides its name and exact identifiers (case number, the
subject's USCC / organisation code / ID hash), two tags that the defaulter search filters on
with the GIN index: the list (``list:<code>``) and the issuing court (``court:<agency id>``).
The list pages filter on two more: the entry's severity (``severity<value>``) and each division
the entry belongs to (``area<code>``: the province, prefecture and county of the issuing agency and
of the subject), so a filter by county or severity is an exact GIN lookup, alone or with a name.
Documents written before these tags existed get them from ``rebuild_search_index``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.utils import timezone

from blacklists.models import ListEntry
from search.models import SearchDocument
from search.services import (
    DocumentRow,
    RebuildReport,
    province_of,
    search_document_delete,
    search_document_row,
    search_documents_write,
)

KIND = SearchDocument.Kind.LIST_ENTRY


def list_tag(code: str) -> str:
    return f"list{code}"


def court_tag(agency_id: int) -> str:
    return f"court{agency_id}"


def severity_tag(severity: str) -> str:
    return f"severity{severity}"


def area_tag(region_code: str) -> str:
    return f"area{region_code}"


def division_chain(region_code: str | None) -> list[str]:
    """The division codes a GB/T 2260 code lies in, itself included: 340104 -> 340000, 340100,
    340104. Worked out from the digits, so it needs no query."""
    code = str(region_code or "")
    if len(code) != 6 or not code.isdigit() or code[0] == "0":
        return []
    return list(dict.fromkeys((code[:2] + "0000", code[:4] + "00", code)))


def entry_queryset():
    return ListEntry.objects.select_related(
        "list_type", "issuing_agency", "person", "enterprise", "court_defaulter", "consumption_restriction"
    )


def entry_document_values(
    *,
    entry_id: int,
    list_code: str,
    subject_name: str,
    case_number: str,
    court_id: int,
    court_name: str,
    province: str,
    published_on,
    person_id_hash: str = "",
    person_id_masked: str = "",
    uscc: str = "",
    severity: str = "",
    areas: Iterable[str] = (),
) -> DocumentRow:
    """The document of one entry from plain values (bulk imports build it without a query).

    ``areas``: division codes of the issuing agency and of the subject, at any level."""
    identifiers = [case_number, list_tag(list_code), court_tag(court_id)]
    if severity:
        identifiers.append(severity_tag(severity))
    identifiers += [area_tag(code) for area in areas for code in division_chain(area)]
    if person_id_hash:
        identifiers.append(person_id_hash)
    else:
        identifiers += [uscc, uscc[8:17]]
    return search_document_row(
        kind=KIND,
        object_id=entry_id,
        name=subject_name,
        identifiers=identifiers,
        province=province_of(province),
        published_on=published_on,
        extra={
            "list": list_code,
            "case_number": case_number,
            "court": court_name,
            "id_display": person_id_masked or uscc,
        },
    )


def entry_document_row(entry: ListEntry) -> DocumentRow:
    detail = entry.court_case
    province = detail.province_id if detail else (entry.enterprise.region_id if entry.enterprise else "")
    subject_area = entry.enterprise.region_id if entry.enterprise else ""
    return entry_document_values(
        entry_id=entry.pk,
        list_code=entry.list_type.code,
        subject_name=entry.subject_name,
        case_number=entry.decision_number,
        court_id=entry.issuing_agency_id,
        court_name=entry.issuing_agency.name_zh,
        province=province,
        published_on=entry.published_on,
        person_id_hash=entry.person.id_hash if entry.person else "",
        person_id_masked=entry.person.id_masked if entry.person else "",
        uscc=entry.enterprise.uscc if entry.enterprise else "",
        severity=entry.severity,
        areas=[entry.issuing_agency.region_id or "", province or "", subject_area or ""],
    )


def entries_index(entries: Iterable[ListEntry]) -> None:
    """Publish entries in force; withdraw every other entry from public search."""
    rows = []
    for entry in entries:
        if entry.effective_status() == ListEntry.Status.IN_FORCE:
            rows.append(entry_document_row(entry))
        else:
            search_document_delete(kind=KIND, object_id=entry.pk)
    if rows:
        search_documents_write(rows)


def entry_ids_index(ids: list[int], *, batch_size: int = 5000) -> None:
    for start in range(0, len(ids), batch_size):
        entries_index(entry_queryset().filter(pk__in=ids[start : start + batch_size]))


def search_index_rebuild_entries(
    *, batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """(Re)build the documents of every entry in force and drop those of ended entries."""
    from django.db import connection

    report = RebuildReport()
    started = time.perf_counter()
    last_id = 0
    while True:
        batch = list(entry_queryset().filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        rows = [
            entry_document_row(entry)
            for entry in batch
            if entry.effective_status() == ListEntry.Status.IN_FORCE
        ]
        search_documents_write(rows)
        last_id = batch[-1].pk
        report.documents += len(rows)
        if progress:
            progress(report.documents)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {SearchDocument._meta.db_table} doc WHERE doc.kind = %s AND NOT EXISTS ("  # noqa: S608 - table names from model metadata; values are parameters
            f"SELECT 1 FROM {ListEntry._meta.db_table} e WHERE e.id = doc.object_id "
            "AND e.status = 'in_force' AND (e.planned_end IS NULL OR e.planned_end >= %s))",
            # Today in China, not the database session's date (UTC): they differ before 08:00.
            [KIND, timezone.localdate()],
        )
        report.deleted = cursor.rowcount
    report.seconds = time.perf_counter() - started
    return report
