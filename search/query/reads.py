"""The two ways a name search reads its hits: all of them, counted and ranked (at most
``COUNT_CAP + 1``), or, beyond that, tier by tier in rank order until the page is full."""

from __future__ import annotations

from search.query import limits, statistics
from search.query.conditions import like_prefix
from search.query.results import TIERS, SearchResult, result_from_row
from search.query.sql import COLUMNS, RECENT, TABLE


def bounded(
    cursor,
    *,
    where: str,
    params: list,
    rank: str,
    rank_params: list,
    limit: int,
    offset: int,
    rank_columns: str = "",
    cap: int | None = None,
) -> tuple[int, list[SearchResult]]:
    """At most COUNT_CAP + 1 hits (or ``cap``), counted and ranked in SQL: (hit count, rows of
    the page). ``rank_columns`` (", document") are further columns the ranking reads."""
    cursor.execute(
        f"""
        WITH hits AS MATERIALIZED (
            SELECT {COLUMNS}, name_normalised{rank_columns} FROM {TABLE} WHERE {where} LIMIT %s
        ), ranked AS (
            SELECT {COLUMNS}, name_normalised, {rank} FROM hits
        )
        SELECT total.n, page.* FROM (SELECT count(*) AS n FROM hits) AS total
        LEFT JOIN LATERAL (
            SELECT {COLUMNS}, tier FROM ranked
            ORDER BY tier, CASE WHEN tier = 2 THEN name_normalised END COLLATE "C", {RECENT}
            LIMIT %s OFFSET %s
        ) AS page ON true
        """,  # noqa: S608 - constants and fragments built in this module; values are parameters
        [*params, cap or limits.COUNT_CAP + 1, *rank_params, limit, offset],
    )
    rows = cursor.fetchall()
    total = rows[0][0] if rows else 0
    return total, [result_from_row(row[1:], TIERS[row[8]]) for row in rows if row[1] is not None]


def dense_count(
    cursor,
    *,
    where: str,
    params: list,
    names: tuple[str, ...] | None = None,
    filters: tuple[str, list] = ("", []),
) -> int:
    """Hits of a query whose tokens are all frequent, counted up to COUNT_CAP + 1 in a bounded
    sequential read: the table's first pages, as many as hold about COUNT_WALK_ROWS documents
    (a TID range scan, ``ctid < '(pages,0)'``), stopping at the cap. For such a query the GIN
    index would hand over hundreds of thousands of entries (科技 & 技有: 396,633 in a lossy bitmap,
    0.27 s at 2 million documents) where a few hundred pages hold 1,001 hits; reading them in
    physical order costs a page per ten rows, where a walk of the date index costs a page per
    row. A count at the cap proves the query has more hits than COUNT_CAP; a lower one proves
    nothing (only part of the table was read) and the caller counts through the index as usual.
    Without the table's size in pages (no VACUUM or ANALYZE yet), the newest COUNT_WALK_ROWS
    documents of the date index are read instead.

    With ``names`` (LIKE patterns every name holding the query's runs satisfies, see
    ``search.tokens.contiguous_name_patterns``), the newest COUNT_NAMES_ROWS names are read from
    the date index alone (it carries the name and the kind: an index-only scan of a few hundred
    index pages, no heap page, no token vector) and the names holding the query are counted: a
    lower bound of the hits, so reaching the cap is the same proof. ``filters`` may only test
    the kind there."""
    stats = statistics.index_statistics()
    if names:
        likes = " AND ".join("name_normalised LIKE %s" for _pattern in names)
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM ("  # noqa: S608 - constants and fragments built in this module; values are parameters
            f"SELECT name_normalised, kind FROM {TABLE} ORDER BY {RECENT} LIMIT %s) AS recent "
            f"WHERE {likes}{filters[0]} LIMIT %s) AS hits",
            [limits.COUNT_NAMES_ROWS, *names, *filters[1], limits.COUNT_CAP + 1],
        )
    elif stats.pages and stats.documents:
        pages = max(1, round(limits.COUNT_WALK_ROWS * stats.pages / stats.documents))
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} "  # noqa: S608 - constants and fragments built in this module; values are parameters
            f"WHERE ctid < %s::tid AND {where} LIMIT %s) AS hits",
            [f"({pages},0)", *params, limits.COUNT_CAP + 1],
        )
    else:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM ("  # noqa: S608 - constants and fragments built in this module; values are parameters
            f"SELECT name_normalised, document, kind FROM {TABLE} ORDER BY {RECENT} LIMIT %s) AS recent "
            f"WHERE {where} LIMIT %s) AS hits",
            [limits.COUNT_WALK_ROWS, *params, limits.COUNT_CAP + 1],
        )
    return cursor.fetchone()[0]


def tiered(
    cursor,
    *,
    normalised: str,
    match: tuple[str, list],
    filters: str,
    filter_params: list,
    window: int,
    facet_filter: tuple[str, list] = ("", []),
) -> list[SearchResult]:
    """The first ``window`` hits in rank order, for queries with more than COUNT_CAP hits.

    Exact name and prefix: one statement, two LIMITed scans of the name B-tree, each already in
    rank order. The other matches: walk the newest WALK_ROWS rows in (published_on, id) order
    and stop once the page is full; with more than COUNT_CAP hits that usually takes a few
    rows. If the walk comes up short, the density it saw decides between walking further (a
    deep page of a fairly common query) and fetching every hit through the GIN index and
    sorting them (the hits are then few), whichever reads fewer rows.
    The walk is forced by the inner ``ORDER BY … LIMIT``: the planner cannot push the match
    below it, so it cannot be misled by estimates for correlated bigrams into sorting tens of
    thousands of hits.
    """
    prefix = like_prefix(normalised)
    name_filters, name_params = filters + facet_filter[0], [*filter_params, *facet_filter[1]]
    cursor.execute(
        f"(SELECT {COLUMNS}, 1 FROM {TABLE} WHERE name_normalised = %s{name_filters} "  # noqa: S608 - constants and fragments built in this module; values are parameters
        f"ORDER BY {RECENT} LIMIT %s) "
        f"UNION ALL (SELECT {COLUMNS}, 2 FROM {TABLE} "
        # "~>~" (not "<>") lets the pattern-ops index start after the exact matches.
        f"WHERE name_normalised LIKE %s AND name_normalised ~>~ %s{name_filters} "
        f"ORDER BY name_normalised USING ~<~, {RECENT} LIMIT %s)",
        [normalised, *name_params, window, prefix, normalised, *name_params, window],
    )
    rows = cursor.fetchall()
    found = [result_from_row(row, TIERS[row[7]]) for row in rows if row[7] == 1]
    found += [result_from_row(row, TIERS[row[7]]) for row in rows if row[7] == 2]
    found = found[:window]
    needed = window - len(found)
    if needed <= 0:
        return found

    def walk_rows(rows: int) -> list:
        cursor.execute(
            f"SELECT {COLUMNS} FROM ("  # noqa: S608 - constants and fragments built in this module; values are parameters
            f"SELECT {COLUMNS}, name_normalised, document FROM {TABLE} WHERE true{filters} "
            f"ORDER BY {RECENT} LIMIT %s) AS recent "
            f"WHERE {match[0]} AND name_normalised NOT LIKE %s ORDER BY {RECENT} LIMIT %s",
            [*filter_params, rows, *match[1], prefix, needed],
        )
        return cursor.fetchall()

    rest = walk_rows(limits.WALK_ROWS)
    documents = statistics.index_statistics().documents
    if len(rest) < needed and len(rest) >= limits.WALK_EVIDENCE and documents:
        # Walk further if that costs less than fetching and sorting every hit (measured at 2
        # million documents: ~1 µs per row walked, ~2.6 µs per hit fetched and sorted; both
        # several times more when the rows are not cached). A short first walk keeps the cost
        # of finding out low: a query with a few thousand hits has about 3 in 2,000 rows.
        density = len(rest) / limits.WALK_ROWS
        walk = int(needed / density * 1.5)
        if walk < 2 * density * documents:
            rest = walk_rows(walk)
    if len(rest) < needed:
        # Few hits among the newest rows: fetch all hits through the GIN index and sort them.
        # ``published_on + 0`` keeps the planner from walking the date index again.
        cursor.execute(
            f"SELECT {COLUMNS} FROM {TABLE} WHERE {match[0]} AND name_normalised NOT LIKE %s{filters} "  # noqa: S608 - constants and fragments built in this module; values are parameters
            f"ORDER BY published_on + 0 DESC NULLS LAST, id DESC LIMIT %s",
            [*match[1], prefix, *filter_params, needed],
        )
        rest = cursor.fetchall()
    return found + [result_from_row(row, "match") for row in rest]
