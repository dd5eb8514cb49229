"""Reads of lists and entries shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from blacklists.search import KIND, court_tag, list_tag
from registry.search.query import COUNT_CAP, MAX_PAGE, SearchQueryError, search

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
    if not 1 <= page_size <= 50:
        raise SearchQueryError(_("A page holds between 1 and 50 results."))


def entry_search(
    *,
    q: str = "",
    list_codes: tuple[str, ...] | list[str] = COURT_LIST_CODES[:1],
    province: str | None = None,
    court_id: int | None = None,
    page: int = 1,
    page_size: int = 20,
) -> EntryPage:
    """Entries in force on the given lists: by name, ID number, USCC or case number, or browsed.

    With a query, the shared search index ranks (exact name, prefix, then most recent). Without
    one, a province or court is required and entries come newest first.
    """
    _checked_page(page, page_size)
    q = (q or "").strip()
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
        by_id = public_entry_queryset().in_bulk([hit.object_id for hit in result.results])
        entries = [by_id[hit.object_id] for hit in result.results if hit.object_id in by_id]
        # An entry past its planned end is never shown, even before the expiry job withdraws it.
        entries = [entry for entry in entries if entry.effective_status() == ListEntry.Status.IN_FORCE]
        return EntryPage(entries, page, page_size, result.has_next, result.total_estimate)
    if not province and not court_id:
        raise SearchQueryError(
            _("Enter a name, ID number, USCC or case number, or choose a province or court.")
        )
    queryset = public_entry_queryset().in_force().filter(list_type__code__in=list_codes)
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
    return ListType.objects.select_related("owner", "region").order_by("kind", "code")


def list_entries_for_subject(
    *, person=None, enterprise=None, list_code: str | None = None
) -> QuerySet[ListEntry]:
    queryset = public_entry_queryset().in_force().for_subject(person=person, enterprise=enterprise)
    if list_code:
        queryset = queryset.filter(list_type__code=list_code)
    return queryset.order_by("-published_on", "-id")
