"""Reads behind the public page of each list: search and browse its entries, the abnormal-operations
directory's listings, the latest publications across lists.

Entries of every list are read through the shared search index, whose documents exist only for
entries in force and carry the tags the filters need (``blacklists.search``): the list, the
severity and every division the entry belongs to. A name or identifier goes through the ranked
search; without one, the newest documents of the list are walked in the index's "most recent"
order. Either way a page costs a fixed number of queries whatever the list's size.

The abnormal-operations directory is the register's ``AbnormalOperationListing``: a listing is in
the directory until it is removed, and stays public (with its removal) afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListType
from blacklists.search import KIND, area_tag, list_tag, severity_tag
from blacklists.selectors.catalogue import ABNORMAL_NAME_EN, ABNORMAL_NAME_ZH, ABNORMAL_SLUG
from blacklists.selectors.entries import EntryPage, _checked_page, _page_entries, public_entry_queryset
from core.identifiers import uscc_has_valid_shape
from registry.models import AbnormalOperationListing
from search.models import SearchDocument
from search.normalise import normalise, normalise_identifier
from search.query import (
    MIN_QUERY_CHARS,
    SearchQueryError,
    identifier_problem,
    masked_id_query,
    search,
)

LATEST_LIMIT = 10


def division_range(code: str) -> tuple[str, str]:
    """The inclusive range of division codes inside ``code`` (a province, prefecture or county)."""
    if code.endswith("0000"):
        return code[:2] + "0000", code[:2] + "9999"
    if code.endswith("00"):
        return code[:4] + "00", code[:4] + "99"
    return code, code


def _in_division(code: str, *fields: str) -> Q:
    low, high = division_range(code)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__gte": low, f"{name}__lte": high})
    return condition


def _checked_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and start > end:
        raise SearchQueryError(_("The start of a date range cannot be after its end."))


def _in_force_only(entries: list[ListEntry]) -> list[ListEntry]:
    """An entry past its planned end is never shown, even before the expiry job withdraws it."""
    today = localdate()
    return [entry for entry in entries if entry.effective_status(today) == ListEntry.Status.IN_FORCE]


def list_entry_search(
    *,
    list_code: str,
    q: str = "",
    region: str = "",
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    severity: str = "",
    page: int = 1,
    page_size: int = 20,
) -> EntryPage:
    """Entries in force on one list, newest first, or ranked by a name or identifier ``q``.

    ``region`` is a division code at any level: an entry is in it when its issuing agency or its
    subject is. ``published_from``/``published_to`` bound the publication date, both inclusive.
    A masked ID number as published, alone or with a name, finds that person's entries.
    """
    _checked_page(page, page_size)
    _checked_dates(published_from, published_to)
    q = (q or "").strip()
    tags = [area_tag(region)] if region else []
    if severity:
        tags.append(severity_tag(severity))
    masked = masked_id_query(q)
    if masked:
        return _masked_id_page(
            list_code, masked, region, published_from, published_to, severity, page, page_size
        )
    if q:
        result = search(
            q,
            kinds=[KIND],
            page=page,
            page_size=page_size,
            any_tags=[list_tag(list_code)],
            all_tags=tags,
            published_from=published_from,
            published_to=published_to,
        )
        by_id = _page_entries([hit.object_id for hit in result.results])
        entries = [by_id[hit.object_id] for hit in result.results if hit.object_id in by_id]
        return EntryPage(_in_force_only(entries), page, page_size, result.has_next, result.total_estimate)
    # Browsing: the list's documents, newest first (search_doc_recent_kind_idx, or the GIN index on the
    # tags for a small list), one page and one more row to know whether a next page exists.
    documents = SearchDocument.objects.filter(
        kind=KIND, identifiers__contains=[normalise_identifier(tag) for tag in [list_tag(list_code), *tags]]
    )
    if published_from:
        documents = documents.filter(published_on__gte=published_from)
    if published_to:
        documents = documents.filter(published_on__lte=published_to)
    offset = (page - 1) * page_size
    ids = list(
        documents.order_by(F("published_on").desc(nulls_last=True), "-id").values_list(
            "object_id", flat=True
        )[offset : offset + page_size + 1]
    )
    has_next = len(ids) > page_size
    by_id = _page_entries(ids[:page_size])
    entries = [by_id[pk] for pk in ids[:page_size] if pk in by_id]
    return EntryPage(
        _in_force_only(entries), page, page_size, has_next, None if has_next else offset + len(ids)
    )


def _masked_id_page(list_code, masked, region, published_from, published_to, severity, page, page_size):
    """The entries of the persons holding exactly this masked ID (B-tree person_id_masked_idx)."""
    masked_id, name = masked
    queryset = (
        public_entry_queryset().in_force().filter(list_type__code=list_code, person__id_masked=masked_id)
    )
    if name:
        queryset = queryset.filter(subject_name__contains=name)
    if region:
        queryset = queryset.filter(
            _in_division(
                region,
                "issuing_agency__region_id",
                "court_defaulter__province_id",
                "consumption_restriction__province_id",
            )
        )
    if severity:
        queryset = queryset.filter(severity=severity)
    if published_from:
        queryset = queryset.filter(published_on__gte=published_from)
    if published_to:
        queryset = queryset.filter(published_on__lte=published_to)
    offset = (page - 1) * page_size
    rows = list(queryset.order_by("-published_on", "-id")[offset : offset + page_size + 1])
    has_next = len(rows) > page_size
    return EntryPage(rows[:page_size], page, page_size, has_next, None if has_next else offset + len(rows))


# The abnormal-operations directory.


@dataclass(frozen=True)
class ListingPage:
    listings: list[AbnormalOperationListing]
    page: int
    page_size: int
    has_next: bool
    total: int | None

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _listings() -> QuerySet[AbnormalOperationListing]:
    return AbnormalOperationListing.objects.select_related(
        "enterprise", "listing_agency", "removal_agency", "enterprise__region"
    )


def abnormal_listings_in_force(*, on: dt.date | None = None) -> QuerySet[AbnormalOperationListing]:
    on = on or localdate()
    return _listings().filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))


def abnormal_listing_search(
    *,
    q: str = "",
    region: str = "",
    listed_from: dt.date | None = None,
    listed_to: dt.date | None = None,
    page: int = 1,
    page_size: int = 20,
) -> ListingPage:
    """Listings in the directory now, newest first: by enterprise name or USCC, division and
    listing date. The directory holds enterprises only, so an ID number is explained, not sought."""
    _checked_page(page, page_size)
    _checked_dates(listed_from, listed_to)
    queryset = abnormal_listings_in_force()
    q = (q or "").strip()
    if q:
        key = normalise_identifier(q)
        if len(key) == 18 and uscc_has_valid_shape(key):
            problem = identifier_problem(q, persons=False)
            if problem:
                raise SearchQueryError(problem)
            queryset = queryset.filter(enterprise__uscc=key)
        else:
            if len(normalise(q)) < MIN_QUERY_CHARS:
                raise SearchQueryError(
                    _("Please enter at least %(n)d letters or digits of a name, or a full code.")
                    % {"n": MIN_QUERY_CHARS}
                )
            if masked_id_query(q) or identifier_problem(q, persons=True):
                raise SearchQueryError(
                    _("This directory lists enterprises only: search by enterprise name or USCC.")
                )
            queryset = queryset.filter(enterprise__name__contains=q)
    if region:
        queryset = queryset.filter(_in_division(region, "listing_agency__region_id", "enterprise__region_id"))
    if listed_from:
        queryset = queryset.filter(listed_on__gte=listed_from)
    if listed_to:
        queryset = queryset.filter(listed_on__lte=listed_to)
    offset = (page - 1) * page_size
    rows = list(queryset.order_by("-listed_on", "-id")[offset : offset + page_size + 1])
    has_next = len(rows) > page_size
    return ListingPage(rows[:page_size], page, page_size, has_next, None if has_next else offset + len(rows))


def abnormal_listing_public(*, pk: int) -> AbnormalOperationListing | None:
    """One listing of the directory, current or removed (the register publishes both)."""
    return _listings().filter(pk=pk).first()


# The latest publications across lists (the home page).


@dataclass(frozen=True)
class Publication:
    slug: str
    pk: int
    subject_name: str
    published_on: dt.date
    list_name_zh: str
    list_name_en: str
    agency_name_zh: str
    agency_name_en: str


def latest_publications(*, limit: int = LATEST_LIMIT) -> list[Publication]:
    """The newest entries in force on any public list and the newest directory listings, merged
    newest first. Four queries: the newest entry documents (search_doc_recent_kind_idx), their
    entries, the public lists, and the directory's newest listings."""
    # A few more documents than needed: entries of lists without a public page are skipped.
    ids = list(
        SearchDocument.objects.filter(kind=KIND)
        .order_by(F("published_on").desc(nulls_last=True), "-id")
        .values_list("object_id", flat=True)[: limit * 2]
    )
    by_id = _page_entries(ids)
    entries = [by_id[pk] for pk in ids if pk in by_id]
    public = {list_type.pk: list_type for list_type in ListType.objects.filter(public_search=True)}
    found = [
        Publication(
            slug=public[entry.list_type_id].code,
            pk=entry.pk,
            subject_name=entry.subject_name,
            published_on=entry.published_on,
            list_name_zh=public[entry.list_type_id].name_zh,
            list_name_en=public[entry.list_type_id].name_en,
            agency_name_zh=entry.issuing_agency.name_zh,
            agency_name_en=entry.issuing_agency.name_en,
        )
        for entry in _in_force_only(entries)
        if entry.list_type_id in public
    ]
    found += [
        Publication(
            slug=ABNORMAL_SLUG,
            pk=listing.pk,
            subject_name=listing.enterprise.name,
            published_on=listing.listed_on,
            list_name_zh=ABNORMAL_NAME_ZH,
            list_name_en=ABNORMAL_NAME_EN,
            agency_name_zh=listing.listing_agency.name_zh,
            agency_name_en=listing.listing_agency.name_en,
        )
        for listing in abnormal_listings_in_force().order_by("-listed_on", "-id")[:limit]
    ]
    found.sort(key=lambda item: (item.published_on, item.pk), reverse=True)
    return found[:limit]
