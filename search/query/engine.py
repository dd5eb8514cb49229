"""``search()``: identifiers first, then names, in rank order, at a cost that follows the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils.translation import gettext as _

from search.models import SearchDocument
from search.normalise import normalise
from search.query import limits
from search.query.conditions import (
    dense_share,
    facet_filter_sql,
    filters_sql,
    like_prefix,
    match_sql,
    statistics_hits,
)
from search.query.identifiers import identifier_keys, identifier_problem
from search.query.in_order import with_in_order
from search.query.prepared import statement_cursor
from search.query.reads import bounded, dense_count, tiered
from search.query.results import NOTHING_FOUND, SearchPage, SearchQueryError, SearchResult
from search.tokens import contiguous_name_patterns, in_order_query, query_tsquery


def _check(kinds: Iterable[str] | None, province: str | None, page: int, page_size: int) -> tuple:
    kinds = tuple(dict.fromkeys(kinds or ()))
    unknown = [kind for kind in kinds if kind not in SearchDocument.Kind.values]
    if unknown:
        raise SearchQueryError(_("Unknown kind of subject: %(kinds)s.") % {"kinds": ", ".join(unknown)})
    if province and not re.fullmatch(r"[1-9][0-9]{5}", str(province)):
        raise SearchQueryError(_("A province is given by its six-digit division code."))
    province = (str(province)[:2] + "0000") if province else None
    if not 1 <= page_size <= limits.MAX_PAGE_SIZE:
        raise SearchQueryError(
            _("A page holds between 1 and %(max)d results.") % {"max": limits.MAX_PAGE_SIZE}
        )
    if page < 1:
        raise SearchQueryError(_("Pages are numbered from 1."))
    if page > limits.MAX_PAGE:
        raise SearchQueryError(
            _("Only the first %(max)d pages of results are shown; please make the query more specific.")
            % {"max": limits.MAX_PAGE}
        )
    return kinds, province


def search(
    q: str,
    *,
    kinds: Iterable[str] | None = None,
    province: str | None = None,
    page: int = 1,
    page_size: int = 20,
    any_tags: Sequence[str] = (),
    all_tags: Sequence[str] = (),
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    facets: Sequence[str] = (),
) -> SearchPage:
    """Search names and identifiers of every subject (or of ``kinds``) in rank order.

    ``province`` is a division code (any level; its province is used). ``any_tags`` /
    ``all_tags`` keep documents carrying at least one / all of these identifier tags (the
    blacklists app tags entries with their list and court; enterprises carry their status and
    industry, see ``search.services.status_tag``). ``published_from`` /
    ``published_to`` keep documents published (for enterprises: established) within those
    dates, both inclusive; a document without a date is then left out. ``facets`` keep
    documents holding all these facet lexemes (enterprises: status and industry, see
    ``search.services.facet_lexeme``), intersected with the name in the GIN index. Raises
    :class:`SearchQueryError` (a ValidationError and a ValueError) for a query with fewer than
    two letters or digits, a page beyond ``MAX_PAGE`` or an unknown kind. Runs one query for an
    identifier or for up to ``COUNT_CAP`` hits, at most four otherwise.
    """
    kinds, province = _check(kinds, province, int(page), int(page_size))
    text = str(q or "")[: limits.MAX_QUERY_CHARS * 4]
    offset = (page - 1) * page_size
    if published_from and published_to and published_from > published_to:
        raise SearchQueryError(_("The start of a date range cannot be after its end."))
    filters, filter_params = filters_sql(kinds, province, any_tags, all_tags, (published_from, published_to))
    facet_filter = facet_filter_sql(facets)
    keys = identifier_keys(text)
    if keys:
        # Fixed text for given filters: prepared once per connection.
        with statement_cursor() as cursor:
            total, results = bounded(
                cursor,
                where=f"identifiers && %s::text[]{filters}{facet_filter[0]}",
                params=[keys, *filter_params, *facet_filter[1]],
                rank="0 AS tier",
                rank_params=[],
                limit=page_size,
                offset=offset,
            )
        if total:
            return _page(results, total, page, page_size, kinds)

    with connection.cursor() as cursor:
        normalised = normalise(text)[: limits.MAX_QUERY_CHARS]
        if len(normalised) < limits.MIN_QUERY_CHARS:
            raise SearchQueryError(
                _("Please enter at least %(n)d letters or digits of a name, or a full code or ID number.")
                % {"n": limits.MIN_QUERY_CHARS}
            )
        match = match_sql(text, facets)
        prefix = like_prefix(normalised)
        if facets:
            # The facets are in ``match``: one GIN lookup intersects them with the name. A name
            # starting with the query holds its tokens, so the prefix branch adds no hit here,
            # only a plan combining a big prefix range with a big facet (lossy bitmaps).
            where, params = f"{match[0]}{filters}", [*match[1], *filter_params]
        else:
            where, params = (
                f"({match[0]} OR name_normalised LIKE %s){filters}",
                [
                    *match[1],
                    prefix,
                    *filter_params,
                ],
            )
        # Only a kind narrows the set among the other filters: the first pages are read with
        # it. (A date range, a province or tags select a part of the table the first pages
        # need not represent.)
        kinds_only = not (facets or province or any_tags or all_tags or published_from or published_to)
        share = dense_share(text) if kinds_only else None
        names = contiguous_name_patterns(text)
        if kinds_only and statistics_hits(text, kinds) >= limits.STATISTICS_HITS_MARGIN * (
            limits.COUNT_CAP + 1
        ):
            # The statistics prove far more than COUNT_CAP hits (科技, shihua): counting them
            # would read a long posting list (or every lexeme under a prefix) to learn nothing.
            total, results = limits.COUNT_CAP + 1, []
        elif (
            share is not None
            and share >= (limits.DENSE_NAMES_FREQUENCY if names else limits.DENSE_FREQUENCY)
            and dense_count(
                cursor,
                # ``ts_match_vq`` (``@@`` as a function) keeps the planner off the GIN index.
                where=f"(ts_match_vq(document, %s::tsquery) OR name_normalised LIKE %s){filters}",
                params=[query_tsquery(text), prefix, *filter_params],
                names=names,
                filters=(filters, filter_params),
            )
            > limits.COUNT_CAP
        ):
            # Every token is frequent and the first pages hold more than COUNT_CAP hits: read
            # the page tier by tier, never the index's long posting lists.
            total, results = limits.COUNT_CAP + 1, []
        else:
            total, results = bounded(
                cursor,
                where=where,
                params=params,
                rank="CASE WHEN name_normalised = %s THEN 1 WHEN name_normalised LIKE %s THEN 2 ELSE 3 END AS tier",  # noqa: E501
                rank_params=[normalised, prefix],
                limit=page_size,
                offset=offset,
                cap=limits.RANK_CAP_FACTOR * limits.COUNT_CAP + 1,
            )
            if limits.COUNT_CAP < total <= limits.RANK_CAP_FACTOR * limits.COUNT_CAP:
                # Every hit was fetched and ranked: the page is right, only the count is capped.
                return SearchPage(results, page * page_size < total, None, page, page_size, kinds)
        if total < limits.IN_ORDER_BELOW and (in_order := in_order_query(text)) is not None:
            # Few contiguous hits: add the names holding the characters in order, gaps allowed.
            loose_total, results, has_next = with_in_order(
                cursor,
                text=text,
                in_order=in_order,
                normalised=normalised,
                contiguous=match,
                facets=facets,
                filters=filters,
                filter_params=filter_params,
                page=page,
                page_size=page_size,
            )
            if loose_total is None:
                return SearchPage(results, has_next, None, page, page_size, kinds)
            total = loose_total
        if total <= limits.COUNT_CAP:
            if not total:
                # Instead of "0 results": why a query that looks like an identifier found nothing.
                persons = bool(kinds) and SearchDocument.Kind.ENTERPRISE not in kinds
                problem = identifier_problem(text, persons=persons)
                if problem:
                    # A query that ran and found nothing, with the reason: not a malformed query.
                    raise SearchQueryError(problem, code=NOTHING_FOUND)
            return _page(results, total, page, page_size, kinds)

        window = offset + page_size + 1
        found = tiered(
            cursor,
            normalised=normalised,
            match=match,
            filters=filters,
            filter_params=filter_params,
            window=window,
            facet_filter=facet_filter,
        )
    return SearchPage(
        results=found[offset : offset + page_size],
        has_next=len(found) > offset + page_size,
        total_estimate=None,
        page=page,
        page_size=page_size,
        kinds=kinds,
    )


def _page(results: list[SearchResult], total: int, page: int, page_size: int, kinds) -> SearchPage:
    return SearchPage(
        results=results,
        has_next=page * page_size < total,
        total_estimate=total,
        page=page,
        page_size=page_size,
        kinds=kinds,
    )
