"""SQL conditions of a search: the token match, facets, the name prefix and the filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from search.normalise import normalise_identifier
from search.query import limits, statistics
from search.tokens import query_terms, quote_lexeme, tsquery_literal


def match_sql(text: str, facets: Sequence[str] = ()) -> tuple[str, list[str]]:
    """``document`` matches every part of the query, with the GIN index driven by rare tokens.

    GIN reads the whole posting list of each token it is given: for 有限/公司, in most company
    names, that is most of the table. So tokens that the statistics call common are only
    checked on the rows the rare tokens found (``ts_match_vq`` is ``@@`` written as a function,
    which the planner does not use as an index condition). A query of common tokens only keeps
    them all, and then the planner walks rows in order and stops early instead.

    ``facets`` are lexemes the document must also hold (filters such as ``status=revoked``,
    see ``search.services.facet_lexeme``). A facet in at most
    FACET_DRIVING_FREQUENCY of documents drives the lookup together with every name token
    below that share, so the index intersects them exactly; a facet in most documents (most
    enterprises are in operation) is only checked on the rows found.
    """
    return terms_match_sql(list(query_terms(text)), facets)


def terms_match_sql(terms: list[tuple[str, str | None]], facets: Sequence[str] = ()) -> tuple[str, list[str]]:
    """What :func:`match_sql` does, for any list of (tsquery fragment, lexeme) terms."""
    facet_terms = [(quote_lexeme(facet), facet) for facet in dict.fromkeys(facets)]
    everything = [*terms, *facet_terms]
    full = tsquery_literal(fragment for fragment, _lexeme in everything)
    if len(everything) > 1:
        common = statistics.common_lexemes()
        driving = [fragment for fragment, lexeme in terms if lexeme is None or lexeme not in common]
        frequencies = statistics.index_statistics().frequencies if facet_terms else {}
        driving_facets = [
            fragment
            for fragment, lexeme in facet_terms
            if frequencies.get(lexeme, 0.0) <= limits.FACET_DRIVING_FREQUENCY
        ]
        if driving_facets:
            # A selective filter: let the index intersect it with every name token that is not
            # in most documents, so a name and a filter that rarely meet cost a few index pages
            # rather than a heap check of every row holding one of them.
            driving = [
                fragment
                for fragment, lexeme in terms
                if lexeme is None or frequencies.get(lexeme, 0.0) <= limits.FACET_DRIVING_FREQUENCY
            ] + driving_facets
        elif not driving:
            driving = [fragment for fragment, _lexeme in terms]  # common tokens only: keep them all
        if len(driving) < len(everything):
            return "(document @@ %s::tsquery AND ts_match_vq(document, %s::tsquery))", [
                tsquery_literal(driving),
                full,
            ]
    return "document @@ %s::tsquery", [full]


def facet_filter_sql(facets: Sequence[str]) -> tuple[str, list[str]]:
    """A condition that the document holds every facet, for rows found another way (by
    identifier, or in name order through the B-tree). ``ts_match_vq`` keeps the planner from
    turning it into a GIN bitmap: those statements read a few rows in index order and stop."""
    if not facets:
        return "", []
    return " AND ts_match_vq(document, %s::tsquery)", [
        tsquery_literal(quote_lexeme(facet) for facet in dict.fromkeys(facets))
    ]


def like_prefix(normalised: str) -> str:
    return normalised.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filters_sql(
    kinds: Sequence[str] | None,
    province: str | None,
    any_tags: Sequence[str] = (),
    all_tags: Sequence[str] = (),
    published: tuple[dt.date | None, dt.date | None] = (None, None),
) -> tuple[str, list]:
    """SQL conditions; tags are exact keys stored among a document's identifiers (GIN-indexed);
    ``published`` is an inclusive date range on ``published_on`` (B-tree-indexed)."""
    sql, params = "", []
    published_from, published_to = published
    if published_from:
        sql += " AND published_on >= %s"
        params.append(published_from)
    if published_to:
        sql += " AND published_on <= %s"
        params.append(published_to)
    if any_tags:
        sql += " AND identifiers && %s::text[]"
        params.append([normalise_identifier(tag) for tag in any_tags])
    if all_tags:
        sql += " AND identifiers @> %s::text[]"
        params.append([normalise_identifier(tag) for tag in all_tags])
    if kinds:
        sql += " AND kind = ANY(%s)"
        params.append(list(kinds))
    if province:
        sql += " AND province = %s"
        params.append(province)
    return sql, params
