"""The rows one chunk of validated cases adds, as COPY text: pure Python, no database.

Built in worker processes for large files (:mod:`blacklists.importing.parallel`), so everything a
chunk needs travels in a :class:`ChunkContext` and nothing here touches the connection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from blacklists.importing.parse import ParsedCase
from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from blacklists.search import entry_document_values
from blacklists.services.entries import default_planned_end, entry_event_summary
from core.bulk import References, format_rows
from registry.models import AuditEntry, SubjectEvent
from search.models import SearchDocument
from search.services import SEARCH_DOCUMENT_COLUMNS, document_row_values

VIA = AuditEntry.Via.IMPORT

ENTRY_COLUMNS = (
    "id",
    "list_type_id",
    "person_id",
    "enterprise_id",
    "subject_name",
    "issuing_agency_id",
    "decision_number",
    "decision_date",
    "legal_basis",
    "circumstance",
    "severity",
    "starts_on",
    "planned_end",
    "permanent",
    "published_on",
    "status",
    "status_changed_at",
    "created_at",
    "updated_at",
)
CHANGE_COLUMNS = (
    "entry_id",
    "from_status",
    "to_status",
    "at",
    "effective_on",
    "actor_id",
    "actor_label",
    "via",
    "reason",
    "planned_end",
)
AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "via",
    "action",
    "content_type_id",
    "object_pk",
    "object_repr",
    "changes",
    "reason",
)
EVENT_COLUMNS = ("enterprise_id", "person_id", "kind", "record_type", "record_id", "occurred_at", "summary")
# The columns both court lists' details share, in the order build_chunk() writes them.
CASE_COLUMNS = (
    "entry_id",
    "subject_kind",
    "id_display",
    "sex",
    "age",
    "legal_representative",
    "province_id",
    "filing_date",
    "basis_document_number",
    "basis_unit",
)
COURT_DETAIL_COLUMNS = (
    *CASE_COLUMNS,
    "obligation",
    "performance",
    "performed_part",
    "unperformed_part",
    "circumstance",
)
RESTRICTION_DETAIL_COLUMNS = (*CASE_COLUMNS, "order_text", "restricted_person_id", "restricted_person_name")


@dataclass
class ChunkContext:
    """What every chunk of one import shares: the list, the actor, and the resolved keys."""

    list_type: ListType
    detail_table: str
    now: dt.datetime
    actor_id: int | None
    actor_label: str
    content_type_id: int
    persons: dict[str, int]  # ID hash -> person id
    enterprises: dict[str, int]  # USCC -> enterprise id
    courts: dict[tuple[str, str], int]  # (court name, province code) -> agency id
    court_regions: dict[int, str] = field(default_factory=dict)  # agency id -> division code

    @property
    def is_court_list(self) -> bool:
        return self.list_type.code == "court-defaulters"


@dataclass
class ChunkText:
    """COPY text per table for one chunk, and the foreign keys that text holds."""

    tables: list[tuple[str, tuple[str, ...], str]]
    references: References


def chunk_tables(context: ChunkContext) -> list[str]:
    """The tables a chunk writes, in the order it writes them."""
    return [table for table, _columns in _table_columns(context)]


def _table_columns(context: ChunkContext) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (ListEntry._meta.db_table, ENTRY_COLUMNS),
        (context.detail_table, COURT_DETAIL_COLUMNS if context.is_court_list else RESTRICTION_DETAIL_COLUMNS),
        (ListEntryStatusChange._meta.db_table, CHANGE_COLUMNS),
        (AuditEntry._meta.db_table, AUDIT_COLUMNS),
        (SubjectEvent._meta.db_table, EVENT_COLUMNS),
        (SearchDocument._meta.db_table, SEARCH_DOCUMENT_COLUMNS),
    ]


def build_chunk(context: ChunkContext, cases: list[ParsedCase], ids: list[int]) -> ChunkText:
    list_type = context.list_type
    actor_id, label = context.actor_id, context.actor_label
    today = context.now.date()
    now = context.now.isoformat()  # formatted once: every row carries the same time
    entries, details, changes, audits, events, documents = [], [], [], [], [], []
    for pk, case in zip(ids, cases):
        subject = case.subject
        person_id = context.persons[subject.id_hash] if case.is_person else None
        enterprise_id = None if case.is_person else context.enterprises[subject.uscc]
        court_id = context.courts[(case.court_name, case.province.code)]
        planned_end = case.planned_end or default_planned_end(list_type, case.publish_date)
        entries.append(
            (
                pk,
                list_type.pk,
                person_id,
                enterprise_id,
                subject.name,
                court_id,
                case.case_number,
                case.publish_date,
                list_type.legal_basis,
                "",
                list_type.default_severity,
                case.publish_date,
                planned_end,
                planned_end is None,
                case.publish_date,
                ListEntry.Status.IN_FORCE.value,
                None,
                now,
                now,
            )
        )
        detail = case.detail
        common = (
            pk,
            "person" if case.is_person else "organisation",
            subject.id_masked if case.is_person else (subject.uscc or subject.organisation_code),
            detail["sex"],
            detail["age"],
            detail["legal_representative"],
            case.province.code,
            case.filing_date,
            detail["basis_document_number"],
            detail["basis_unit"],
        )
        if context.is_court_list:
            details.append(
                (
                    *common,
                    detail["obligation"],
                    detail["performance"],
                    detail["performed_part"],
                    detail["unperformed_part"],
                    detail["circumstance"],
                )
            )
        else:
            restricted = case.restricted_person
            details.append(
                (
                    *common,
                    detail["order_text"],
                    context.persons[restricted.id_hash] if restricted else None,
                    detail["restricted_person_name"],
                )
            )
        if planned_end is None or planned_end >= today:
            documents.append(
                document_row_values(
                    entry_document_values(
                        entry_id=pk,
                        list_code=list_type.code,
                        subject_name=subject.name,
                        case_number=case.case_number,
                        court_id=court_id,
                        court_name=case.court_name,
                        province=case.province.code,
                        published_on=case.publish_date,
                        person_id_hash=subject.id_hash if case.is_person else "",
                        person_id_masked=subject.id_masked if case.is_person else "",
                        uscc="" if case.is_person else subject.uscc,
                        severity=list_type.default_severity,
                        areas=[case.province.code, context.court_regions.get(court_id) or ""],
                    )
                )
            )
        changes.append(
            (
                pk,
                "",
                ListEntry.Status.IN_FORCE.value,
                now,
                case.publish_date,
                actor_id,
                label,
                VIA.value,
                f"Listed by case {case.case_number} (import).",
                planned_end,
            )
        )
        # The subject is told of the listing: one "published" event per entry, as the service writes.
        events.append(
            (
                enterprise_id,
                person_id,
                SubjectEvent.Kind.PUBLISHED.value,
                SubjectEvent.RecordType.LIST_ENTRY.value,
                pk,
                now,
                entry_event_summary(list_type=list_type, decision_number=case.case_number),
            )
        )
        audits.append(
            (
                now,
                actor_id,
                label,
                VIA.value,
                AuditEntry.Action.CREATE.value,
                context.content_type_id,
                str(pk),
                f"{list_type.code}: {subject.name} ({case.case_number})"[:300],
                {
                    "decision_number": [None, case.case_number],
                    "person_id": [None, person_id],
                    "enterprise_id": [None, enterprise_id],
                    "planned_end": [None, str(planned_end) if planned_end else None],
                },
                "",
            )
        )
    references = References()
    rows_by_table = (entries, details, changes, audits, events, documents)
    return ChunkText(
        tables=[
            (table, columns, "".join(format_rows(table, columns, rows, references)))
            for (table, columns), rows in zip(_table_columns(context), rows_by_table, strict=True)
        ],
        references=references,
    )
