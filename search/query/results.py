"""What a search returns, and the error it raises for a query it cannot run."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from search.query import limits

NOTHING_FOUND = "nothing_found"


class SearchQueryError(ValidationError, ValueError):
    """A query that cannot be run; the message says why and is fit to show to the user.

    With ``code == NOTHING_FOUND`` the query was valid and ran, found nothing, and the message
    explains why (an identifier whose check character is wrong, a partial ID number).
    """


def nothing_found_page(exc) -> dict | None:
    """An API's answer to a search that ran and found nothing for a reason: an empty page with the
    reason as ``notice``. ``None`` for any other query error, which stays a 400."""
    if getattr(exc, "code", None) != NOTHING_FOUND:
        return None
    notice = " ".join(exc.messages)
    return {"count": 0, "count_display": "0", "next": None, "previous": None, "notice": notice, "results": []}


@dataclass(frozen=True)
class SearchResult:
    kind: str
    object_id: int
    name: str
    province: str
    published_on: dt.date | None
    extra: dict
    # "identifier", "exact", "prefix", "match" (every term contiguous), "in_order" (the query's
    # characters in the order typed, gaps allowed) or "unordered" (every term, not in that order)
    match: str


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    has_next: bool
    # The exact number of hits when there are at most COUNT_CAP of them, otherwise None.
    total_estimate: int | None
    page: int = 1
    page_size: int = 20
    kinds: tuple[str, ...] = field(default=())

    @property
    def total_display(self) -> str:
        return str(self.total_estimate) if self.total_estimate is not None else f"{limits.COUNT_CAP}+"

    @property
    def has_previous(self) -> bool:
        return self.page > 1


TIERS = {0: "identifier", 1: "exact", 2: "prefix", 3: "match", 4: "in_order", 5: "unordered"}


def result_from_row(row: Sequence, match: str) -> SearchResult:
    _id, kind, object_id, name, province, published_on, extra = row[:7]
    return SearchResult(
        kind=kind,
        object_id=object_id,
        name=name,
        province=province,
        published_on=published_on,
        extra=json.loads(extra) if isinstance(extra, str) else (extra or {}),  # Django leaves jsonb as text
        match=match,
    )
