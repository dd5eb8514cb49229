"""Resolve subjects and write a validated batch of court cases with COPY, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.functions import Substr
from django.utils import timezone

from blacklists.importing.parse import OrganisationKey, ParsedCase, PersonKey
from blacklists.models import (
    ConsumptionRestrictionDetail,
    CourtDefaulterDetail,
    ListEntry,
    ListEntryStatusChange,
    ListType,
)
from blacklists.search import entry_document_values
from blacklists.services import court_get_or_create
from blacklists.services.court import court_level
from blacklists.services.entries import default_planned_end, entry_event_summary
from registry.bulk import allocate_ids, copy_rows
from registry.models import Agency, AuditEntry, Enterprise, Person, Region, SubjectEvent
from registry.services.audit import Actor, actor_label_for
from registry.services.search import ENTERPRISE_FIELDS, enterprise_document_row, search_documents_write

VIA = AuditEntry.Via.IMPORT


def existing_persons(hashes: set[str]) -> dict[str, int]:
    # One array parameter instead of one placeholder per value: files hold 100,000s of rows.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_hash, id FROM {Person._meta.db_table} WHERE id_hash = ANY(%s)", [list(hashes)]
        )
        return dict(cursor.fetchall())


def existing_enterprises(
    usccs: set[str], organisation_codes: set[str]
) -> tuple[dict[str, Enterprise], dict[str, Enterprise]]:
    by_uscc = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=usccs).only("id", "uscc", "entity_type")}
    by_code = {}
    if organisation_codes:
        for enterprise in (
            Enterprise.objects.annotate(code=Substr("uscc", 9, 9))
            .filter(code__in=organisation_codes)
            .only("id", "uscc", "entity_type")
        ):
            by_code[enterprise.uscc[8:17]] = enterprise
    return by_uscc, by_code


def entity_type_from_uscc(uscc: str) -> str:
    prefix = uscc[:2]
    if prefix == "11":
        return Enterprise.EntityType.GOVERNMENT_ORGAN
    if prefix == "12":
        return Enterprise.EntityType.PUBLIC_INSTITUTION
    if uscc[0] == "5":
        return Enterprise.EntityType.SOCIAL_ORGANISATION
    return {
        "92": Enterprise.EntityType.INDIVIDUAL_BUSINESS,
        "93": Enterprise.EntityType.FARMERS_COOPERATIVE,
    }.get(prefix, Enterprise.EntityType.OTHER)


def region_for_uscc(uscc: str, province: Region, known: set[str]) -> str:
    for code in (uscc[2:8], uscc[2:6] + "00", uscc[2:4] + "0000"):
        if code in known:
            return code
    return province.code


def _new_people(cases: list[ParsedCase], known: dict[str, int], now: dt.datetime) -> None:
    """Insert persons not yet registered; ``known`` gains their ids."""
    fresh: dict[str, PersonKey] = {}
    for case in cases:
        for key in (case.subject, case.restricted_person):
            if isinstance(key, PersonKey) and key.id_hash not in known:
                fresh.setdefault(key.id_hash, key)
    ids = allocate_ids(Person._meta.db_table, len(fresh))
    copy_rows(
        Person._meta.db_table,
        ["id", "name", "id_hash", "id_masked", "sex", "birth_year", "created_at", "updated_at"],
        (
            (pk, key.name, key.id_hash, key.id_masked, key.sex, key.birth_year, now, now)
            for pk, key in zip(ids, fresh.values())
        ),
    )
    known.update(zip(fresh, ids))


def _new_enterprises(cases: list[ParsedCase], by_uscc: dict[str, Enterprise], now: dt.datetime) -> None:
    fresh: dict[str, ParsedCase] = {}
    for case in cases:
        if (
            isinstance(case.subject, OrganisationKey)
            and case.subject.uscc
            and case.subject.uscc not in by_uscc
        ):
            fresh.setdefault(case.subject.uscc, case)
    regions = set(Region.objects.values_list("code", flat=True))
    ids = allocate_ids(Enterprise._meta.db_table, len(fresh))
    copy_rows(
        Enterprise._meta.db_table,
        [
            "id",
            "uscc",
            "uscc_legacy",
            "registration_number",
            "name",
            "former_names",
            "entity_type",
            "legal_representative",
            "capital_currency",
            "status",
            "address",
            "business_scope",
            "region_id",
            "industry",
            "created_at",
            "updated_at",
        ],
        (
            (
                pk,
                uscc,
                False,
                "",
                case.subject.name,
                "{}",
                entity_type_from_uscc(uscc),
                case.detail.get("legal_representative", ""),
                "CNY",
                Enterprise.Status.UNKNOWN,
                "",
                "",
                region_for_uscc(uscc, case.province, regions),
                "",
                now,
                now,
            )
            for pk, (uscc, case) in zip(ids, fresh.items())
        ),
    )
    for pk, uscc in zip(ids, fresh):
        by_uscc[uscc] = Enterprise(id=pk, uscc=uscc, entity_type=entity_type_from_uscc(uscc))
    # Registered here with COPY, so indexed here too: the enterprise search finds them at once.
    search_documents_write(
        [
            enterprise_document_row(values)
            for values in Enterprise.objects.filter(id__in=ids).values(*ENTERPRISE_FIELDS)
        ]
    )


def _courts(cases: list[ParsedCase], actor: Actor) -> dict[tuple[str, str], int]:
    """Agency ids of the courts the cases name: known ones in one query, new ones registered."""
    wanted = {(case.court_name, case.province.code): case for case in cases}
    known: dict[tuple[str, str | None], int] = {
        (name, region): pk
        for name, region, pk in Agency.objects.filter(
            kind=Agency.Kind.COURT, name_zh__in={name for name, _code in wanted}
        ).values_list("name_zh", "region_id", "pk")
    }
    courts = {}
    for key, case in wanted.items():
        national = court_level(case.court_name) == Agency.Level.NATIONAL
        pk = known.get((case.court_name, None if national else case.province.code))
        if pk is None:
            pk = court_get_or_create(name=case.court_name, province=case.province, actor=actor, via=VIA).pk
        courts[key] = pk
    return courts


def write_cases(*, list_type: ListType, cases: list[ParsedCase], actor: Actor) -> dict[str, int]:
    """Write every case that is not already listed. Call inside validation's transaction."""
    now = timezone.now()
    label = actor_label_for(actor, VIA)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    detail_model = (
        CourtDefaulterDetail if list_type.code == "court-defaulters" else ConsumptionRestrictionDetail
    )
    with transaction.atomic():
        courts = _courts(cases, actor)
        persons = existing_persons(
            {c.subject.id_hash for c in cases if c.is_person}
            | {c.restricted_person.id_hash for c in cases if c.restricted_person}
        )
        _new_people(cases, persons, now)
        by_uscc, _by_code = existing_enterprises({c.subject.uscc for c in cases if not c.is_person}, set())
        _new_enterprises(cases, by_uscc, now)

        entry_rows, detail_rows, change_rows, audit_rows, documents = [], [], [], [], []
        event_rows = []
        ids = allocate_ids(ListEntry._meta.db_table, len(cases))
        content_type = ContentType.objects.get_for_model(ListEntry).pk
        for pk, case in zip(ids, cases):
            person_id = persons[case.subject.id_hash] if case.is_person else None
            enterprise_id = None if case.is_person else by_uscc[case.subject.uscc].pk
            planned_end = case.planned_end or default_planned_end(list_type, case.publish_date)
            entry = (
                pk,
                list_type.pk,
                person_id,
                enterprise_id,
                case.subject.name,
                courts[(case.court_name, case.province.code)],
                case.case_number,
                case.publish_date,
                list_type.legal_basis,
                "",
                list_type.default_severity,
                case.publish_date,
                planned_end,
                planned_end is None,
                case.publish_date,
                "in_force",
                None,
                now,
                now,
            )
            entry_rows.append(entry)
            detail = {
                **case.detail,
                "entry_id": pk,
                "province_id": case.province.code,
                "filing_date": case.filing_date,
                "subject_kind": "person" if case.is_person else "organisation",
                "id_display": case.subject.id_masked
                if case.is_person
                else (case.subject.uscc or case.subject.organisation_code),
            }
            if detail_model is ConsumptionRestrictionDetail:
                detail["restricted_person_id"] = (
                    persons[case.restricted_person.id_hash] if case.restricted_person else None
                )
            detail_rows.append(detail)
            if planned_end is None or planned_end >= now.date():
                documents.append(
                    entry_document_values(
                        entry_id=pk,
                        list_code=list_type.code,
                        subject_name=case.subject.name,
                        case_number=case.case_number,
                        court_id=courts[(case.court_name, case.province.code)],
                        court_name=case.court_name,
                        province=case.province.code,
                        published_on=case.publish_date,
                        person_id_hash=case.subject.id_hash if case.is_person else "",
                        person_id_masked=case.subject.id_masked if case.is_person else "",
                        uscc="" if case.is_person else case.subject.uscc,
                    )
                )
            change_rows.append(
                (
                    pk,
                    "",
                    "in_force",
                    now,
                    case.publish_date,
                    actor_id,
                    label,
                    VIA,
                    f"Listed by case {case.case_number} (import).",
                    planned_end,
                )
            )
            # The subject is told of the listing: one "published" event per entry, as the service writes.
            event_rows.append(
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
            audit_rows.append(
                (
                    now,
                    actor_id,
                    label,
                    VIA,
                    "create",
                    content_type,
                    str(pk),
                    f"{list_type.code}: {case.subject.name} ({case.case_number})"[:300],
                    {
                        "decision_number": [None, case.case_number],
                        "person_id": [None, person_id],
                        "enterprise_id": [None, enterprise_id],
                        "planned_end": [None, str(planned_end) if planned_end else None],
                    },
                    "",
                )
            )
        copy_rows(
            ListEntry._meta.db_table,
            [
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
            ],
            entry_rows,
        )
        detail_columns = list(detail_rows[0]) if detail_rows else []
        copy_rows(
            detail_model._meta.db_table,
            detail_columns,
            ([row[c] for c in detail_columns] for row in detail_rows),
        )
        copy_rows(
            ListEntryStatusChange._meta.db_table,
            [
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
            ],
            change_rows,
        )
        copy_rows(
            AuditEntry._meta.db_table,
            [
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
            ],
            audit_rows,
        )
        copy_rows(
            SubjectEvent._meta.db_table,
            ["enterprise_id", "person_id", "kind", "record_type", "record_id", "occurred_at", "summary"],
            event_rows,
        )
        search_documents_write(documents)
    return {"created": len(cases)}
