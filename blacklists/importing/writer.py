"""Resolve subjects and write a validated batch of court cases with COPY, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from blacklists.importing.parallel import chunk_builder, default_workers
from blacklists.importing.parse import OrganisationKey, ParsedCase, PersonKey
from blacklists.importing.rows import VIA, ChunkContext, chunk_tables
from blacklists.models import (
    ConsumptionRestrictionDetail,
    CourtDefaulterDetail,
    ListEntry,
    ListType,
)
from blacklists.services import court_get_or_create
from blacklists.services.court import court_level
from core.bulk import allocate_ids, copy_rows, copy_text, reference_triggers_skipped
from core.identifiers import uscc_public_sector_kind
from registry.models import Agency, Enterprise, Person, Region
from registry.services.audit import Actor, actor_label_for
from registry.services.search import ENTERPRISE_FIELDS, enterprise_document_row
from search.services import search_documents_write


def existing_persons(hashes: set[str]) -> dict[str, int]:
    # One array parameter instead of one placeholder per value: files hold 100,000s of rows.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_hash, id FROM {Person._meta.db_table} WHERE id_hash = ANY(%s)",  # noqa: S608 - table name from model metadata; values are parameters
            [list(hashes)],
        )
        return dict(cursor.fetchall())


def existing_enterprises(
    usccs: set[str], organisation_codes: set[str]
) -> tuple[dict[str, Enterprise], dict[str, Enterprise]]:
    # Array parameters, as in existing_persons: an IN list of 10,000s of placeholders costs more
    # to build and parse than the lookup itself.
    table = Enterprise._meta.db_table
    by_uscc = {
        e.uscc: e
        for e in Enterprise.objects.raw(
            f"SELECT id, uscc, entity_type FROM {table} WHERE uscc = ANY(%s)",  # noqa: S608 - table name from model metadata; values are parameters
            [list(usccs)],
        )
    }
    by_code = {}
    if organisation_codes:
        for enterprise in Enterprise.objects.raw(
            f"SELECT id, uscc, entity_type FROM {table} WHERE substr(uscc, 9, 9) = ANY(%s)",  # noqa: S608 - table name from model metadata; values are parameters
            [list(organisation_codes)],
        ):
            by_code[enterprise.uscc[8:17]] = enterprise
    return by_uscc, by_code


def entity_type_from_uscc(uscc: str) -> str:
    public_kind = uscc_public_sector_kind(uscc)
    if public_kind:
        return public_kind
    return {
        "92": Enterprise.EntityType.INDIVIDUAL_BUSINESS,
        "93": Enterprise.EntityType.FARMERS_COOPERATIVE,
    }.get(uscc[:2], Enterprise.EntityType.OTHER)


def region_for_uscc(uscc: str, province: Region, known: set[str]) -> str:
    for code in (uscc[2:8], uscc[2:6] + "00", uscc[2:4] + "0000"):
        if code in known:
            return code
    return province.code


def _fresh_people(cases: list[ParsedCase], known: dict[str, int]) -> dict[str, PersonKey]:
    fresh: dict[str, PersonKey] = {}
    for case in cases:
        for key in (case.subject, case.restricted_person):
            if isinstance(key, PersonKey) and key.id_hash not in known:
                fresh.setdefault(key.id_hash, key)
    return fresh


def _copy_people(fresh: dict[str, PersonKey], ids: list[int], now: dt.datetime, references) -> None:
    copy_rows(
        Person._meta.db_table,
        ["id", "name", "id_hash", "id_masked", "sex", "birth_year", "created_at", "updated_at"],
        (
            (pk, key.name, key.id_hash, key.id_masked, key.sex, key.birth_year, now, now)
            for pk, key in zip(ids, fresh.values())
        ),
        references=references,
    )


def _fresh_enterprises(cases: list[ParsedCase], known: dict[str, int]) -> dict[str, ParsedCase]:
    fresh: dict[str, ParsedCase] = {}
    for case in cases:
        if isinstance(case.subject, OrganisationKey) and case.subject.uscc and case.subject.uscc not in known:
            fresh.setdefault(case.subject.uscc, case)
    return fresh


def _copy_enterprises(fresh: dict[str, ParsedCase], ids: list[int], now: dt.datetime, references) -> None:
    regions = set(Region.objects.values_list("code", flat=True))
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
        references=references,
    )
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
    # A court is known by its name within the province, whatever the level of its division
    # (generated county courts sit in their county, courts first named by a list in the province).
    known: dict[tuple[str, str | None], int] = {}
    for name, region, pk in (
        Agency.objects.filter(kind=Agency.Kind.COURT, name_zh__in={name for name, _code in wanted})
        .order_by("pk")
        .values_list("name_zh", "region_id", "pk")
    ):
        known.setdefault((name, region[:2] + "0000" if region else None), pk)
    courts = {}
    for key, case in wanted.items():
        national = court_level(case.court_name) == Agency.Level.NATIONAL
        pk = known.get((case.court_name, None if national else case.province.code))
        if pk is None:
            pk = court_get_or_create(name=case.court_name, province=case.province, actor=actor, via=VIA).pk
        courts[key] = pk
    return courts


def write_cases(
    *, list_type: ListType, cases: list[ParsedCase], actor: Actor, workers: int | None = None
) -> dict[str, int]:
    """Write every case that is not already listed. Call inside validation's transaction.

    Subjects and ids are resolved first; then the rows of each chunk are built (in worker
    processes for large files) while this process COPYs the new subjects and the chunks already
    built. PostgreSQL's per-row foreign-key checks are replaced by one check per referenced
    table when the database allows it (``core.bulk.reference_triggers_skipped``).
    """
    now = timezone.now()
    detail_model = (
        CourtDefaulterDetail if list_type.code == "court-defaulters" else ConsumptionRestrictionDetail
    )
    with transaction.atomic():
        courts = _courts(cases, actor)
        persons = existing_persons(
            {c.subject.id_hash for c in cases if c.is_person}
            | {c.restricted_person.id_hash for c in cases if c.restricted_person}
        )
        new_people = _fresh_people(cases, persons)
        person_ids = allocate_ids(Person._meta.db_table, len(new_people))
        persons.update(zip(new_people, person_ids))
        by_uscc, _by_code = existing_enterprises({c.subject.uscc for c in cases if not c.is_person}, set())
        enterprises = {uscc: enterprise.pk for uscc, enterprise in by_uscc.items()}
        new_enterprises = _fresh_enterprises(cases, enterprises)
        enterprise_ids = allocate_ids(Enterprise._meta.db_table, len(new_enterprises))
        enterprises.update(zip(new_enterprises, enterprise_ids))
        ids = allocate_ids(ListEntry._meta.db_table, len(cases))
        context = ChunkContext(
            list_type=list_type,
            detail_table=detail_model._meta.db_table,
            now=now,
            actor_id=actor.pk if getattr(actor, "pk", None) else None,
            actor_label=actor_label_for(actor, VIA),
            content_type_id=ContentType.objects.get_for_model(ListEntry).pk,
            persons=persons,
            enterprises=enterprises,
            courts=courts,
            court_regions=dict(
                Agency.objects.filter(pk__in=set(courts.values()), region__isnull=False).values_list(
                    "pk", "region_id"
                )
            ),
        )
        tables = [
            Person._meta.db_table,
            Enterprise._meta.db_table,
            *chunk_tables(context),
        ]
        with (
            reference_triggers_skipped(tables) as references,
            chunk_builder(
                context, cases, ids, workers=default_workers() if workers is None else workers
            ) as chunks,
        ):
            if references is not None:
                references.created(Person._meta.db_table, person_ids)
                references.created(Enterprise._meta.db_table, enterprise_ids)
                references.created(ListEntry._meta.db_table, ids)
            _copy_people(new_people, person_ids, now, references)
            _copy_enterprises(new_enterprises, enterprise_ids, now, references)
            for chunk in chunks:
                for table, columns, text in chunk.tables:
                    copy_text(table, columns, text)
                if references is not None:
                    references.merge(chunk.references)
    return {"created": len(cases)}
