"""Search every subject by name, romanised name or exact identifier.

The cost of a search follows the page size, not the number of hits:

1. An exact identifier (USCC, organisation code, registration number, resident ID number,
   court case number) is one GIN lookup on ``identifiers``.
2. Otherwise one bounded query fetches at most ``RANK_CAP_FACTOR * COUNT_CAP + 1`` hits (name
   prefix via the B-tree, tokens via the GIN index), counts them and ranks them in SQL. Most
   searches end here, with an exact total up to ``COUNT_CAP`` ("1000+" beyond). A query of
   one term the planner's statistics show in thousands of documents skips it, and a frequent
   one is first counted up to ``COUNT_CAP + 1`` in a bounded read of the newest documents.
3. Only when there are more hits than that statement ranks does it read the tiers in rank order,
   each with ``LIMIT`` (the rows still needed for the page): exact name and name prefix in one
   statement (two scans of the ``name_normalised`` B-tree, already in rank order), then the
   other matches by walking the newest ``WALK_ROWS`` rows of the ``(published_on, id)`` index
   and stopping when the page is full (a common query fills it after a few rows); only if that
   walk comes up short are all hits fetched through GIN and sorted (they are then few). The
   total is then reported as "1000+".

4. When the contiguous hits are fewer than ``IN_ORDER_BELOW``, one more bounded statement adds
   the names holding the query's characters in order with gaps (``天津水博`` finds
   天津市城东新区水博酒店管理商行), their candidates bounded by the GIN index or by a walk of the
   newest ``IN_ORDER_WALK`` documents (see ``_in_order_sql``).

Terms separated by spaces must each match, in any order. Ranking: identifier matches, then
exact name, then names starting with the query (in code point order, then most recent), then
names holding every term contiguously, then names holding the query's characters in the order
typed, then the rest (every term, in another order); most recent first inside each; ties by
newest id.
Pages are offsets over that order, up to ``MAX_PAGE`` (as the court's own site does).

The package's parts: ``engine`` (``search()``), ``reads`` (the bounded and the tiered reads),
``in_order`` (the in-order pass), ``conditions`` (SQL conditions), ``statistics`` (the planner's
statistics), ``identifiers`` (identifiers typed in a box), ``prepared`` (prepared statements),
``results`` (what a search returns) and ``limits`` (the numbers that bound it, read at call
time: set them there, not here).
"""

from search.query.engine import search
from search.query.identifiers import identifier_keys, identifier_problem, masked_id_query
from search.query.limits import (
    COUNT_CAP,
    IN_ORDER_BELOW,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    MIN_QUERY_CHARS,
)
from search.query.prepared import statement_cursor
from search.query.results import NOTHING_FOUND, SearchPage, SearchQueryError, SearchResult, nothing_found_page
from search.query.statistics import IndexStatistics, common_lexemes, index_statistics

__all__ = [
    "COUNT_CAP",
    "IN_ORDER_BELOW",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "MAX_QUERY_CHARS",
    "MIN_QUERY_CHARS",
    "NOTHING_FOUND",
    "IndexStatistics",
    "SearchPage",
    "SearchQueryError",
    "SearchResult",
    "common_lexemes",
    "identifier_keys",
    "identifier_problem",
    "index_statistics",
    "masked_id_query",
    "nothing_found_page",
    "search",
    "statement_cursor",
]
