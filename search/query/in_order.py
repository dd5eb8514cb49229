"""In-order matches: the query's characters in the order typed, gaps allowed."""

from __future__ import annotations

from collections.abc import Sequence

from search.query import limits, statistics
from search.query.conditions import like_prefix, terms_match_sql
from search.query.reads import bounded
from search.query.results import TIERS, SearchResult, result_from_row
from search.query.sql import COLUMNS, RECENT, TABLE
from search.tokens import InOrderQuery, query_tsquery, quote_lexeme, tsquery_literal


def in_order_through_index(in_order: InOrderQuery) -> bool:
    """Whether the GIN index can bound the in-order candidates: some character of the query is
    not common and, by the planner's statistics, in at most IN_ORDER_CANDIDATES documents (an
    upper bound of the candidates, which must hold every character). True without statistics
    (a small or freshly created table)."""
    stats = statistics.index_statistics()
    bounds = []
    for _fragment, lexeme in in_order.terms:
        if lexeme is None or lexeme in stats.common:
            continue
        share = stats.frequency(lexeme)
        if share is None or not stats.documents:
            return True
        bounds.append(share * stats.documents)
    return bool(bounds) and min(bounds) <= limits.IN_ORDER_CANDIDATES


def in_order_sql(
    in_order: InOrderQuery, facets: Sequence[str], filters: str, filter_params: list
) -> tuple[str, list, bool]:
    """The condition for the in-order hits, bounded whatever the characters.

    Through the index: the single-character lexemes of the query (its rare ones driving the GIN
    lookup, as :func:`match_sql` does) give the candidates, and LIKE patterns on
    ``name_normalised`` check the order of each run. When every character is common (有, 限, 公,
    司 are in most names) or the rarest one is still in more than IN_ORDER_CANDIDATES documents,
    the index would hand over a large part of the table: then only the newest IN_ORDER_WALK
    documents are checked (an ``ORDER BY … LIMIT`` walk of the date index, read once, as an
    array of ids), at most COUNT_CAP + 1 of them kept. Returns (condition, parameters, whether
    it walks).
    """
    likes = "".join(" AND name_normalised LIKE %s" for _pattern in in_order.run_patterns)
    patterns = list(in_order.run_patterns)
    if in_order_through_index(in_order):
        match, params = terms_match_sql(list(in_order.terms), facets, characters=True)
        return f"({match}{likes})", [*params, *patterns], False
    # The patterns check every Chinese character on the name itself; the document (its tokens
    # read from a larger column) is only needed for Latin words and facets.
    others = [fragment for fragment, lexeme in in_order.terms if lexeme not in in_order.run_characters]
    others += [quote_lexeme(facet) for facet in dict.fromkeys(facets)]
    # The names come from the date index alone (it carries them); the document, a column of the
    # table, is read only for the rows whose name passed the patterns.
    check, check_params = (
        (
            f" AND EXISTS (SELECT FROM {TABLE} AS checked WHERE checked.id = recent.id "
            "AND ts_match_vq(checked.document, %s::tsquery))",
            [tsquery_literal(others)],
        )
        if others
        else ("", [])
    )
    return (
        f"id = ANY(ARRAY(SELECT recent.id FROM (SELECT id, name_normalised "  # noqa: S608 - constants and fragments built in this module; values are parameters
        f"FROM {TABLE} WHERE true{filters} ORDER BY {RECENT} LIMIT %s) AS recent "
        f"WHERE true{likes}{check} LIMIT %s))",
        [*filter_params, limits.IN_ORDER_WALK, *patterns, *check_params, limits.COUNT_CAP + 1],
        True,
    )


def with_in_order(
    cursor,
    *,
    text: str,
    in_order: InOrderQuery,
    normalised: str,
    contiguous: tuple[str, list],
    facets: Sequence[str],
    filters: str,
    filter_params: list,
    page: int,
    page_size: int,
) -> tuple[int | None, list[SearchResult], bool]:
    """Every hit, contiguous and in order, ranked: (total or None beyond COUNT_CAP, page, has_next).

    Runs when the contiguous hits are fewer than IN_ORDER_BELOW, so they are all in this
    statement too. One bounded statement; a second one only with more than COUNT_CAP in-order
    hits, which sorts them (the candidates are bounded, see :func:`in_order_sql`)."""
    prefix = like_prefix(normalised)
    loose, loose_params, walks = in_order_sql(in_order, facets, filters, filter_params)
    if facets:  # as in search(): the facets are in both matches, the prefix branch is left out
        where, params = f"({contiguous[0]} OR {loose}){filters}", [*contiguous[1], *loose_params]
    else:
        where = f"({contiguous[0]} OR name_normalised LIKE %s OR {loose}){filters}"
        params = [*contiguous[1], prefix, *loose_params]
    params += filter_params
    rank = (
        "CASE WHEN name_normalised = %s THEN 1 WHEN name_normalised LIKE %s THEN 2 "
        "WHEN ts_match_vq(document, %s::tsquery) THEN 3 WHEN name_normalised LIKE %s THEN 4 "
        "ELSE 5 END AS tier"
    )
    rank_params = [normalised, prefix, query_tsquery(text), in_order.pattern]
    offset = (page - 1) * page_size
    total, results = bounded(
        cursor,
        where=where,
        params=params,
        rank=rank,
        rank_params=rank_params,
        limit=page_size,
        offset=offset,
        rank_columns=", document",
        # A walk keeps at most COUNT_CAP + 1 ids and the contiguous hits are fewer than
        # IN_ORDER_BELOW: rank them all in this statement.
        cap=limits.IN_ORDER_BELOW + limits.COUNT_CAP + 1 if walks else None,
    )
    if walks and total > limits.COUNT_CAP:
        return None, results, page * page_size < total
    if total <= limits.COUNT_CAP:
        return total, results, page * page_size < total
    window = offset + page_size + 1
    cursor.execute(
        f"SELECT {COLUMNS}, tier FROM (SELECT {COLUMNS}, name_normalised, {rank} FROM {TABLE} "  # noqa: S608 - constants and fragments built in this module; values are parameters
        f"WHERE {where}) AS hits "
        f'ORDER BY tier, CASE WHEN tier = 2 THEN name_normalised END COLLATE "C", {RECENT} LIMIT %s',
        [*rank_params, *params, window],
    )
    found = [result_from_row(row, TIERS[row[7]]) for row in cursor.fetchall()]
    return None, found[offset : offset + page_size], len(found) > offset + page_size
