"""Reads of lists and entries shared by pages and the API."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from blacklists.search import KIND, court_tag, list_tag
from search.query import (
    COUNT_CAP,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    SearchQueryError,
    masked_id_query,
    search,
    statement_cursor,
)

COURT_LIST_CODES = ("court-defaulters", "consumption-restriction")


@dataclass(frozen=True)
class EntryPage:
    entries: list[ListEntry]
    page: int
    page_size: int
    has_next: bool
    total: int | None  # exact when known; None means "more than COUNT_CAP"

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def total_display(self) -> str:
        return str(self.total) if self.total is not None else f"{COUNT_CAP}+"


def public_entry_queryset() -> QuerySet[ListEntry]:
    """Everything a public entry page shows, in a fixed number of queries."""
    return ListEntry.objects.select_related(
        "list_type",
        "list_type__owner",
        "issuing_agency",
        "person",
        "enterprise",
        "court_defaulter",
        "court_defaulter__province",
        "consumption_restriction",
        "consumption_restriction__province",
    )


# A result page (the public search page and the API) loads its entries in one statement of fixed
# text: only the columns a result shows, from the eight tables that hold them. Plain SQL because
# compiling the ten-table select_related of public_entry_queryset() took the ORM longer than
# PostgreSQL took to plan and run it; the instances are built as the ORM builds them, so a column
# not loaded here is fetched on access (deferred) instead of being silently empty. The entry and
# its list, court and subject are joined in a subquery that PostgreSQL plans on its own (OFFSET 0),
# then the court-case details: planning two joins of five and four tables instead of one of eight
# takes 0.4 ms instead of 1.1 ms (running the statement takes 0.1 ms). The statement is prepared
# once per connection (search.query.statement_cursor), so that planning is paid once.
# Its ids are separate parameters, in a few fixed counts (the last id repeated to fill up): with
# one array parameter PostgreSQL's generic plan assumes ten ids, costs more than a plan for the one
# id of an identifier lookup, and so is never used; with the count in the text it is, after five
# executions.
_PAGE_FIELDS = (
    ("e", ListEntry, "FROM {table} e", ("id", "list_type", "person", "enterprise", "subject_name",
     "issuing_agency", "decision_number", "decision_date", "legal_basis", "circumstance", "severity",
     "starts_on", "planned_end", "permanent", "published_on", "status")),
    ("lt", ListType, "JOIN {table} lt ON lt.id = e.list_type_id", ("id", "code")),
    ("a", "registry.Agency", "JOIN {table} a ON a.id = e.issuing_agency_id",
     ("id", "name_zh", "name_en", "level", "kind")),
    ("p", "registry.Person", "LEFT JOIN {table} p ON p.id = e.person_id", ("id", "id_masked")),
    ("n", "registry.Enterprise", "LEFT JOIN {table} n ON n.id = e.enterprise_id", ("id", "uscc")),
    # after the subquery x, whose column c0 is the entry's id
    ("d", "blacklists.CourtDefaulterDetail", "LEFT JOIN {table} d ON d.entry_id = x.c0",
     ("entry", "subject_kind", "id_display", "sex", "age", "legal_representative", "province",
      "filing_date", "basis_document_number", "basis_unit", "obligation", "performance",
      "performed_part", "unperformed_part", "circumstance")),
    ("c", "blacklists.ConsumptionRestrictionDetail", "LEFT JOIN {table} c ON c.entry_id = x.c0",
     ("entry", "subject_kind", "id_display", "sex", "age", "legal_representative", "province",
      "filing_date", "basis_document_number", "basis_unit", "order_text", "restricted_person",
      "restricted_person_name")),
    ("r", "registry.Region", "LEFT JOIN {table} r ON r.code = COALESCE(d.province_id, c.province_id)",
     ("code", "name_zh", "name_en", "level")),
)  # fmt: skip
_PAGE_INNER = 5  # the first five tables form the subquery


# How many ids a page statement takes; ids beyond the last size get a statement of their own.
_PAGE_ID_COUNTS = (1, 2, 5, 10, 20, MAX_PAGE_SIZE)


@functools.cache
def _page_statement(count: int) -> tuple[str, list[tuple[type, list[str], int, int, int]]]:
    """The statement for ``count`` ids, and per table: model, attribute names (in the model's
    field order), the slice of the row holding them, and the column of the primary key (NULL: no
    such row)."""
    inner, outer, inner_joins, outer_joins, parts = [], [], [], [], []
    for number, (alias, model, join, names) in enumerate(_PAGE_FIELDS):
        model = apps.get_model(model) if isinstance(model, str) else model
        fields = [field for field in model._meta.concrete_fields if field.name in names]
        start = len(inner) + len(outer)
        key = start + next(index for index, field in enumerate(fields) if field.primary_key)
        parts.append((model, [field.attname for field in fields], start, start + len(fields), key))
        columns = [f'{alias}."{field.column}"' for field in fields]
        if number < _PAGE_INNER:
            inner += columns
            inner_joins.append(join.format(table=model._meta.db_table))
        else:
            outer += columns
            outer_joins.append(join.format(table=model._meta.db_table))
    assert inner[0] == 'e."id"'  # x.c0, which the details join on
    subquery = (
        f"SELECT {', '.join(f'{column} AS c{index}' for index, column in enumerate(inner))} "
        f"{' '.join(inner_joins)} WHERE e.id IN ({', '.join(['%s'] * count)}) OFFSET 0"
    )
    selected = [f"x.c{index}" for index in range(len(inner))] + outer
    sql = f"SELECT {', '.join(selected)} FROM ({subquery}) x {' '.join(outer_joins)}"  # noqa: S608 - columns, joins and placeholders from model metadata; ids are parameters
    return sql, parts


def _page_entries(ids: list[int]) -> dict[int, ListEntry]:
    """The entries with these ids, each with its list, court, subject and court-case details."""
    if not ids:
        return {}
    ids = list(dict.fromkeys(ids))
    count = next((count for count in _PAGE_ID_COUNTS if count >= len(ids)), len(ids))
    sql, parts = _page_statement(count)
    db = ListEntry.objects.db
    with statement_cursor(db) as cursor:
        cursor.execute(sql, ids + ids[-1:] * (count - len(ids)))
        rows = cursor.fetchall()
    meta = ListEntry._meta
    forward = [meta.get_field(name) for name in ("list_type", "issuing_agency", "person", "enterprise")]
    reverse = [meta.get_field(name) for name in ("court_defaulter", "consumption_restriction")]
    by_id = {}
    for row in rows:
        entry, *related = (
            None if row[key] is None else model.from_db(db, names, row[start:end])
            for model, names, start, end, key in parts
        )
        for field, value in zip(forward, related[:4], strict=True):
            field.set_cached_value(entry, value)
        province = related[6]
        for rel, detail in zip(reverse, related[4:6], strict=True):
            rel.set_cached_value(entry, detail)
            if detail is not None:
                rel.field.set_cached_value(detail, entry)
                detail._meta.get_field("province").set_cached_value(detail, province)
        by_id[entry.pk] = entry
    return by_id


def list_entry_public(*, pk: int) -> ListEntry | None:
    """An entry with its status history, or None. Callers decide what an ended entry may show."""
    return (
        public_entry_queryset()
        .prefetch_related(
            Prefetch("status_changes", queryset=ListEntryStatusChange.objects.order_by("at", "id"))
        )
        .filter(pk=pk)
        .first()
    )


def _checked_page(page: int, page_size: int) -> None:
    if page < 1 or page > MAX_PAGE:
        raise SearchQueryError(
            _("Pages run from 1 to %(max)d; please narrow the search.") % {"max": MAX_PAGE}
        )
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise SearchQueryError(_("A page holds between 1 and %(max)d results.") % {"max": MAX_PAGE_SIZE})


def entry_search(
    *,
    q: str = "",
    list_codes: tuple[str, ...] | list[str] = COURT_LIST_CODES[:1],
    province: str | None = None,
    court_id: int | None = None,
    page: int = 1,
    page_size: int = 20,
    browse_nationwide: bool = False,
) -> EntryPage:
    """Entries in force on the given lists: by name, ID number, USCC or case number, or browsed.

    With a query, the shared search index ranks (exact name, prefix, then most recent). A masked
    ID number as published (``3418001998****2800``), alone or with a name, finds the entries of
    the persons with exactly that masked form, newest first. Without a query, a province or court
    is required (unless ``browse_nationwide``, for API clients reading the newest cases) and
    entries come newest first.
    """
    _checked_page(page, page_size)
    q = (q or "").strip()
    masked = masked_id_query(q)
    if masked:
        # The masked form as courts publish it, alone or with a name: the persons holding exactly
        # that form (B-tree person_id_masked_idx), then their entries (listentry_person_idx).
        masked_id, name = masked
        queryset = public_entry_queryset().in_force().filter(person__id_masked=masked_id)
        if name:
            queryset = queryset.filter(subject_name__contains=name)
        return _newest_first(queryset, list_codes, province, court_id, page, page_size)
    if q:
        result = search(
            q,
            kinds=[KIND],
            province=province,
            page=page,
            page_size=page_size,
            any_tags=[list_tag(code) for code in list_codes],
            all_tags=[court_tag(court_id)] if court_id else [],
        )
        by_id = _page_entries([hit.object_id for hit in result.results])
        entries = [by_id[hit.object_id] for hit in result.results if hit.object_id in by_id]
        # An entry past its planned end is never shown, even before the expiry job withdraws it.
        today = localdate()
        entries = [entry for entry in entries if entry.effective_status(today) == ListEntry.Status.IN_FORCE]
        return EntryPage(entries, page, page_size, result.has_next, result.total_estimate)
    if not province and not court_id and not browse_nationwide:
        raise SearchQueryError(
            _("Enter a name, ID number, USCC or case number, or choose a province or court.")
        )
    return _newest_first(public_entry_queryset().in_force(), list_codes, province, court_id, page, page_size)


def _newest_first(queryset, list_codes, province, court_id, page: int, page_size: int) -> EntryPage:
    """A page of ``queryset`` on these lists, court and province, newest first."""
    queryset = queryset.filter(list_type__code__in=list_codes)
    if court_id:
        queryset = queryset.filter(issuing_agency_id=court_id)
    if province:
        if len(str(province)) != 6 or not str(province).isdigit():
            raise ValidationError(_("A province is given by its six-digit division code."))
        code = str(province)[:2]
        queryset = queryset.filter(
            issuing_agency__region_id__gte=code + "0000", issuing_agency__region_id__lte=code + "9999"
        )
    offset = (page - 1) * page_size
    rows = list(queryset.order_by("-published_on", "-id")[offset : offset + page_size + 1])
    return EntryPage(
        rows[:page_size],
        page,
        page_size,
        len(rows) > page_size,
        None if len(rows) > page_size else offset + len(rows),
    )


def list_types_public() -> QuerySet[ListType]:
    return ListType.objects.select_related("owner", "region__parent__parent").order_by("kind", "code")


def list_entries_for_subject(
    *, person=None, enterprise=None, list_code: str | None = None
) -> QuerySet[ListEntry]:
    queryset = public_entry_queryset().in_force().for_subject(person=person, enterprise=enterprise)
    if list_code:
        queryset = queryset.filter(list_type__code=list_code)
    return queryset.order_by("-published_on", "-id")
