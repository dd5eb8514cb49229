"""What to offer when a query finds nothing: the same query without one of its terms.

``天津 水博 宾馆`` finds nothing when the company is a 酒店; without 宾馆 it is found. Each term
left out is tried once (a query of at most MAX_SUGGESTION_TERMS terms, so at most that many
searches, each bounded as any search is); the suggestion keeps the most specific query that
finds something: the one with the fewest hits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.normalise import normalise
from search.query import COUNT_CAP, MIN_QUERY_CHARS, SearchPage, SearchQueryError, search
from search.tokens import query_words

# Queries with more terms than this get no suggestion (each suggestion costs a search per term).
MAX_SUGGESTION_TERMS = 5


@dataclass(frozen=True)
class Suggestion:
    query: str  # the query to try instead
    dropped: str  # the term it leaves out


def query_without_a_term(
    q: str, *, run: Callable[[str], SearchPage] | None = None, **filters
) -> Suggestion | None:
    """The query ``q`` with one term left out that finds something, or None.

    ``run`` searches a query the way the caller did (the same filters) and returns its first
    page; a page of one result is enough. Without ``run``, :func:`search.query.search` is called
    with ``filters`` (``kinds``, ``province``, ``facets`` …). Queries of one term, or of more
    than MAX_SUGGESTION_TERMS, get None; so does a query none of whose shortened forms finds
    anything. A shortened query with fewer than MIN_QUERY_CHARS letters or digits is not tried.
    """
    terms = query_words(q)
    if not 2 <= len(terms) <= MAX_SUGGESTION_TERMS:
        return None
    if run is None:

        def run(text: str) -> SearchPage:
            return search(text, page_size=1, **filters)

    best: tuple[int, Suggestion] | None = None
    for index, term in enumerate(terms):
        rest = " ".join(terms[:index] + terms[index + 1 :])
        if len(normalise(rest)) < MIN_QUERY_CHARS:
            continue
        try:
            page = run(rest)
        except SearchQueryError:
            continue
        if not page.results:
            continue
        hits = page.total_estimate if page.total_estimate is not None else COUNT_CAP + 1
        if best is None or hits < best[0]:
            best = (hits, Suggestion(query=rest, dropped=term))
    return best[1] if best else None
