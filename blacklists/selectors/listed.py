"""The "listed on" filter of the enterprise search, and the names of the lists a reader may pick.

The enterprise documents of the search index know nothing of lists (the register builds them, and
the register sits below the lists). The filter therefore intersects in the query itself: it reads
the identifiers of the enterprises on the list (entries in force, or open listings of the
abnormal-operations directory), at most ``LISTED_ON_MAX`` of them, and hands them to the search as
identifier tags, which the GIN index on ``identifiers`` answers. A list with more enterprises than
that is searched on its own (the list-subjects search, by the list tag its entries carry). See
docs/search.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from blacklists.models import ListEntry, ListType
from blacklists.selectors.catalogue import ABNORMAL_NAME_EN, ABNORMAL_NAME_ZH, ABNORMAL_SLUG, GROUPS
from blacklists.selectors.entries import COURT_LIST_CODES
from registry.models import AbnormalOperationListing
from registry.selectors import enterprise_search
from search.query import COUNT_CAP, SearchPage

# As many enterprises as one search counts exactly: with the filter, a search never needs the
# tiered reads of a query with more hits (search.query).
LISTED_ON_MAX = COUNT_CAP


@dataclass(frozen=True)
class ListChoice:
    slug: str
    kind: str
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_zh if (get_language() or "zh").startswith("zh") else self.name_en

    @property
    def is_abnormal_directory(self) -> bool:
        return self.slug == ABNORMAL_SLUG

    @property
    def is_court_list(self) -> bool:
        return self.slug in COURT_LIST_CODES


ABNORMAL_CHOICE = ListChoice(ABNORMAL_SLUG, ListType.Kind.WATCHLIST, ABNORMAL_NAME_ZH, ABNORMAL_NAME_EN)


def public_list_choices(*, abnormal_directory: bool = True) -> list[ListChoice]:
    """Every public list (and the abnormal-operations directory unless told otherwise), blacklists
    then redlists then watch lists, each by Chinese name. One query."""
    lists = [
        ListChoice(code, kind, name_zh, name_en)
        for code, kind, name_zh, name_en in ListType.objects.filter(public_search=True).values_list(
            "code", "kind", "name_zh", "name_en"
        )
    ]
    if abnormal_directory:
        lists.append(ABNORMAL_CHOICE)
    order = {kind: index for index, (kind, _label) in enumerate(GROUPS)}
    return sorted(lists, key=lambda item: (order.get(item.kind, len(order)), item.name_zh))


def grouped_list_choices(choices: list[ListChoice]) -> list[tuple[str, list[ListChoice]]]:
    """``(group label, lists)`` per kind of list that has one, in catalogue order."""
    return [
        (label, members)
        for kind, label in GROUPS
        if (members := [item for item in choices if item.kind == kind])
    ]


class ListedOnTooLarge(Exception):
    """The list holds more enterprises than the enterprise search can be restricted to."""

    def __init__(self, slug: str):
        super().__init__(slug)
        self.slug = slug


def listed_enterprise_keys(
    *, slug: str, on: dt.date | None = None, limit: int | None = None
) -> list[str] | None:
    """The USCCs of the enterprises on the list ``slug`` on ``on`` (an identifier every enterprise
    document holds); None when there are more than ``limit`` (``LISTED_ON_MAX``). One query, read
    through the list's lifecycle index (entries) or the open listings (the directory)."""
    on = on or timezone.localdate()
    limit = LISTED_ON_MAX if limit is None else limit
    if slug == ABNORMAL_SLUG:
        rows = AbnormalOperationListing.objects.filter(listed_on__lte=on).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=on)
        )
    else:
        rows = ListEntry.objects.in_force(on=on).filter(
            list_type__code=slug, list_type__public_search=True, enterprise__isnull=False
        )
    keys = list(rows.order_by().values_list("enterprise__uscc", flat=True).distinct()[: limit + 1])
    return None if len(keys) > limit else keys


def enterprise_search_listed_on(
    *,
    listed_on: str,
    q: str,
    province: str | None = None,
    status: str | None = None,
    industry: str | None = None,
    established: tuple[int, int] | None = None,
    page: int = 1,
    page_size: int = 20,
    on: dt.date | None = None,
    kind: str | None = None,
    level: str | None = None,
) -> SearchPage:
    """The enterprise search restricted to the enterprises on the list ``listed_on`` today.

    Raises ``ListedOnTooLarge`` for a list with more than ``LISTED_ON_MAX`` enterprises, and
    ``SearchQueryError`` as the enterprise search does. Two queries for most searches."""
    keys = listed_enterprise_keys(slug=listed_on, on=on)
    if keys is None:
        raise ListedOnTooLarge(listed_on)
    if not keys:
        # No tag at all would mean no filter: an empty list finds nothing.
        return SearchPage(results=[], has_next=False, total_estimate=0, page=page, page_size=page_size)
    return enterprise_search(
        q=q,
        province=province,
        status=status,
        industry=industry,
        established=established,
        page=page,
        page_size=page_size,
        identifiers_any=keys,
        kind=kind,
        level=level,
    )
