"""Search every subject by name, romanised name or exact identifier.

The cost of a search follows the page size, not the number of hits:

1. An exact identifier (USCC, organisation code, registration number, resident ID number,
   court case number) is one GIN lookup on ``identifiers``.
2. Otherwise one bounded query fetches at most ``COUNT_CAP + 1`` hits (name prefix via the
   B-tree, tokens via the GIN index), counts them and ranks them in SQL. Most searches end
   here, with an exact total.
3. Only when there are more than ``COUNT_CAP`` hits does it read the tiers in rank order,
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
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.utils.translation import gettext as _
from psycopg.types.numeric import Int8

from core.identifiers import (
    is_valid_resident_id,
    is_valid_uscc,
    organisation_code_check_char,
    resident_id_birth_date,
    resident_id_check_char,
    uscc_check_char,
    uscc_has_valid_shape,
)
from core.privacy import resident_id_hash
from search.models import SearchDocument
from search.normalise import normalise, normalise_identifier
from search.tokens import (
    InOrderQuery,
    in_order_query,
    query_terms,
    query_tsquery,
    quote_lexeme,
    tsquery_literal,
)

MIN_QUERY_CHARS = 2
MAX_QUERY_CHARS = 100
MAX_PAGE = 50
MAX_PAGE_SIZE = 50
COUNT_CAP = 1000
# How many of the newest documents a common query walks before fetching and sorting all its hits.
WALK_ROWS = 10_000
# A token in more than this share of documents does not drive the GIN lookup (see _match_sql).
COMMON_TOKEN_FREQUENCY = 0.05
# With a filter facet, tokens up to this share still drive it, so the index intersects them.
FACET_DRIVING_FREQUENCY = 0.3
STATISTICS_TTL = 600.0
# In-order matches (characters in order, gaps allowed) are looked for only when the contiguous
# matches are fewer than this: a page of the default size.
IN_ORDER_BELOW = 20
# The in-order pass reads candidates through the GIN index only when its rarest character is in
# at most this many documents; otherwise it checks the newest IN_ORDER_WALK documents.
IN_ORDER_CANDIDATES = 10_000
IN_ORDER_WALK = 10_000

_TABLE = SearchDocument._meta.db_table
_COLUMNS = "id, kind, object_id, name, province, published_on, extra"
_RECENT = "published_on DESC NULLS LAST, id DESC"
_RESIDENT_ID = re.compile(r"^[0-9]{17}[0-9X]$")
_ORGANISATION_CODE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")
_REGISTRATION_NUMBER = re.compile(r"^[0-9]{13,15}$")
# A resident ID number as courts publish it: the first 10 characters, four stars, the last 4.
_MASKED_ID = re.compile(r"^[0-9]{10}\*{4}[0-9]{3}[0-9X]$")
# Digits (and X) with stars among them: an attempt at the masked form.
_MASKED_ATTEMPT = re.compile(r"^(?=(?:[^0-9]*[0-9]){4})[0-9X]*\*+[0-9X*]*$")
# The start of a resident ID number (a division code first), or the whole of it less the end.
_PARTIAL_ID = re.compile(r"^[1-9][0-9]{5,16}$")
# (2019)皖1122执1194号, (2020)京0105民初12345号, (2021)最高法执监12号 — after normalisation.
_CASE_NUMBER = re.compile(r"^(19|20)[0-9]{2}[\u4e00-\u9fff]{1,4}[0-9]{0,6}[\u4e00-\u9fff]{1,6}[0-9]{1,8}号$")


class SearchQueryError(ValidationError, ValueError):
    """A query that cannot be run; the message says why and is fit to show to the user."""


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
        return str(self.total_estimate) if self.total_estimate is not None else f"{COUNT_CAP}+"

    @property
    def has_previous(self) -> bool:
        return self.page > 1


_TIERS = {0: "identifier", 1: "exact", 2: "prefix", 3: "match", 4: "in_order", 5: "unordered"}


# --- prepared statements -------------------------------------------------------------------------
# Django binds parameters on the client: every statement reaches PostgreSQL as new text, which it
# parses and plans afresh. The search's hot statements have fixed text (an identifier lookup, the
# page of entries in blacklists.selectors.entries), so they run through statement_cursor(): bound
# on the server and prepared once per connection, then executed with PostgreSQL's cached plan
# (at the client, an identifier lookup takes 0.1 ms instead of 0.3 ms, a page 0.1 ms instead of
# 0.6 ms). Everything else keeps Django's client-side binding. settings.SEARCH_PREPARED_STATEMENTS
# turns this off, for a connection pooler that cannot keep prepared statements across
# transactions (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).

# psycopg prepares nothing unless the connection has a threshold; Django sets none. A threshold no
# statement reaches: only what statement_cursor() runs (with prepare=True) is prepared.
_PREPARE_WHEN_ASKED = 2**31 - 1


class _PreparingCursor(psycopg.Cursor):
    """Binds parameters on the server and prepares each statement on its first execution."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if params:
            # psycopg sends an int as int2, int4 or int8 by its size, and a statement is prepared
            # per parameter types: always bigint, so each statement is prepared once.
            params = [Int8(value) if type(value) is int else value for value in params]
        return super().execute(query, params, prepare=True, binary=binary)


class _PreparedDebugCursorWrapper(CursorDebugWrapper):
    """Logs (DEBUG, query counting in tests) the statement as written, its values apart: psycopg
    keeps no merged text of a prepared statement for Django's ``last_executed_query``."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


@contextmanager
def statement_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator[CursorWrapper]:
    """A cursor for statements of fixed text that run on most requests: each is prepared on the
    server once per connection (see above). A plain Django cursor when
    ``settings.SEARCH_PREPARED_STATEMENTS`` is off. Either way a Django cursor wrapper: queries are
    logged and counted, execute wrappers apply and errors are Django's."""
    db = connections[using]
    if not getattr(settings, "SEARCH_PREPARED_STATEMENTS", False) or db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    # What BaseDatabaseWrapper.cursor() does, with a server-binding cursor.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    raw = db.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _PREPARE_WHEN_ASKED
    with db.wrap_database_errors:
        cursor = _PreparingCursor(raw)
    wrapper = _PreparedDebugCursorWrapper(cursor, db) if db.queries_logged else db.make_cursor(cursor)
    with wrapper:
        yield wrapper


def identifier_keys(text: str) -> list[str]:
    """The identifier keys ``text`` could be, already normalised; [] for ordinary text."""
    key = normalise_identifier(text)
    keys = []
    if len(key) == 18 and uscc_has_valid_shape(key):
        keys.append(key)
    if _RESIDENT_ID.match(key) and is_valid_resident_id(key):
        keys.append(normalise_identifier(resident_id_hash(key)))
    if _ORGANISATION_CODE.match(key) and organisation_code_check_char(key[:8]) == key[8]:
        keys.append(key)
    if _REGISTRATION_NUMBER.match(key):
        keys.append(key)
    if _CASE_NUMBER.match(key):
        keys.append(key)
    return list(dict.fromkeys(keys))


def _query_words(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", str(text or "")).upper().split()


def masked_id_query(text: str) -> tuple[str, str] | None:
    """``(masked ID, name)`` when ``text`` is a masked ID number exactly as published
    (``3418001998****2800``), alone or with a name before or after it; otherwise None."""
    words = unicodedata.normalize("NFKC", str(text or "")).split()
    for index in dict.fromkeys((0, len(words) - 1)) if words else ():
        if _MASKED_ID.match(words[index].upper()):
            return words[index].upper(), " ".join(words[:index] + words[index + 1 :])
    return None


def identifier_problem(text: str, *, persons: bool = True) -> str | None:
    """Why ``text``, which looks like an identifier but found nothing, cannot be one; or None.

    For a search of persons and list subjects only (``persons``; ``search`` sets it when
    ``kinds`` are given without enterprises): a masked ID number not in the published form, the
    start of an ID number, an 18-character ID number with a wrong check character or birth date.
    For every search: an 18-character USCC with a wrong check character. ``search`` asks only
    when neither the identifiers nor the text found anything; the message is fit to show instead
    of "0 results"."""
    words = _query_words(text)
    if persons and any(_MASKED_ATTEMPT.match(word) and not _MASKED_ID.match(word) for word in words):
        return _(
            "A masked ID number is searched exactly as published: 10 characters, four stars and the "
            "last 4 characters (XXXXXXXXXX****XXXX)."
        )
    key = normalise_identifier(text)
    if persons and _PARTIAL_ID.match(key):
        return _(
            "This looks like part of an ID number. Enter the full 18-character ID number, or the masked "
            "form exactly as published (XXXXXXXXXX****XXXX)."
        )
    if len(key) != 18 or is_valid_uscc(key):
        return None
    if persons and _RESIDENT_ID.match(key):
        birth = resident_id_birth_date(key)
        if birth is not None and birth.year >= 1900:
            if is_valid_resident_id(key):
                return None
            return _(
                "The check character of this ID number is %(given)s but should be %(expected)s: "
                "please check the number for a typing error."
            ) % {"given": key[17], "expected": resident_id_check_char(key[:17])}
        if not uscc_has_valid_shape(key):
            return _("Characters 7-14 of a resident ID number must be a real birth date (YYYYMMDD).")
    if uscc_has_valid_shape(key) and not is_valid_resident_id(key):
        return _(
            "The USCC check character is %(given)s but should be %(expected)s: "
            "please check the code for a typing error."
        ) % {"given": key[17], "expected": uscc_check_char(key[:17])}
    return None


@dataclass(frozen=True)
class IndexStatistics:
    """What the planner's statistics say about the search documents (see index_statistics)."""

    common: frozenset[str]
    documents: int  # pg_class.reltuples: an estimate, 0 before the first VACUUM/ANALYZE
    # Share of documents holding each lexeme the statistics list (the common ones and more).
    frequencies: dict[str, float] = field(default_factory=dict)
    # At most this share of documents holds a lexeme the statistics do not list (the lowest
    # listed share); None when the statistics list nothing, which tells nothing.
    unlisted_ceiling: float | None = None

    def frequency(self, lexeme: str) -> float | None:
        """The share of documents holding ``lexeme`` (an upper bound when unlisted), or None."""
        return self.frequencies.get(lexeme, self.unlisted_ceiling)


_statistics_cache: tuple[float, str, IndexStatistics] = (0.0, "", IndexStatistics(frozenset(), 0))


def index_statistics() -> IndexStatistics:
    """Common tokens and the table size, read at most once every STATISTICS_TTL seconds.

    Common tokens are those in more than COMMON_TOKEN_FREQUENCY of documents according to the
    most common elements ANALYZE keeps for the ``document`` column (``pg_stats``); empty before
    the first ANALYZE. The frequencies of every listed element are kept too (at most 10 x the
    statistics target, 1,000 by default): the in-order pass bounds its candidates with them.
    One statement, cached per process and database.
    """
    global _statistics_cache
    expires, database, statistics = _statistics_cache
    if time.monotonic() < expires and database == connection.settings_dict["NAME"]:
        return statistics
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass), "
            "ARRAY(SELECT u.lexeme || '|' || u.frequency::text FROM pg_stats s, "
            "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(lexeme, frequency) "
            "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'document' "
            "AND u.lexeme IS NOT NULL)",
            [_TABLE, _TABLE],
        )
        documents, pairs = cursor.fetchone()
    frequencies = {}
    for pair in pairs or ():
        lexeme, _bar, frequency = pair.rpartition("|")
        frequencies[lexeme] = float(frequency)
    statistics = IndexStatistics(
        common=frozenset(lexeme for lexeme, share in frequencies.items() if share > COMMON_TOKEN_FREQUENCY),
        documents=int(documents or 0),
        frequencies=frequencies,
        unlisted_ceiling=min(frequencies.values()) if frequencies else None,
    )
    _statistics_cache = (time.monotonic() + STATISTICS_TTL, connection.settings_dict["NAME"], statistics)
    return statistics


def common_lexemes() -> frozenset[str]:
    return index_statistics().common


def _match_sql(text: str, facets: Sequence[str] = ()) -> tuple[str, list[str]]:
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
    return _terms_match_sql(list(query_terms(text)), facets)


def _terms_match_sql(
    terms: list[tuple[str, str | None]], facets: Sequence[str] = ()
) -> tuple[str, list[str]]:
    """What :func:`_match_sql` does, for any list of (tsquery fragment, lexeme) terms."""
    facet_terms = [(quote_lexeme(facet), facet) for facet in dict.fromkeys(facets)]
    everything = [*terms, *facet_terms]
    full = tsquery_literal(fragment for fragment, _lexeme in everything)
    if len(everything) > 1:
        common = common_lexemes()
        driving = [fragment for fragment, lexeme in terms if lexeme is None or lexeme not in common]
        frequencies = index_statistics().frequencies if facet_terms else {}
        driving_facets = [
            fragment
            for fragment, lexeme in facet_terms
            if frequencies.get(lexeme, 0.0) <= FACET_DRIVING_FREQUENCY
        ]
        if driving_facets:
            # A selective filter: let the index intersect it with every name token that is not
            # in most documents, so a name and a filter that rarely meet cost a few index pages
            # rather than a heap check of every row holding one of them.
            driving = [
                fragment
                for fragment, lexeme in terms
                if lexeme is None or frequencies.get(lexeme, 0.0) <= FACET_DRIVING_FREQUENCY
            ] + driving_facets
        elif not driving:
            driving = [fragment for fragment, _lexeme in terms]  # common tokens only: keep them all
        if len(driving) < len(everything):
            return "(document @@ %s::tsquery AND ts_match_vq(document, %s::tsquery))", [
                tsquery_literal(driving),
                full,
            ]
    return "document @@ %s::tsquery", [full]


def _facet_filter(facets: Sequence[str]) -> tuple[str, list[str]]:
    """A condition that the document holds every facet, for rows found another way (by
    identifier, or in name order through the B-tree). ``ts_match_vq`` keeps the planner from
    turning it into a GIN bitmap: those statements read a few rows in index order and stop."""
    if not facets:
        return "", []
    return " AND ts_match_vq(document, %s::tsquery)", [
        tsquery_literal(quote_lexeme(facet) for facet in dict.fromkeys(facets))
    ]


def _like_prefix(normalised: str) -> str:
    return normalised.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filters(
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


def _result(row: Sequence, match: str) -> SearchResult:
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


def _bounded(
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
            SELECT {_COLUMNS}, name_normalised{rank_columns} FROM {_TABLE} WHERE {where} LIMIT %s
        ), ranked AS (
            SELECT {_COLUMNS}, name_normalised, {rank} FROM hits
        )
        SELECT total.n, page.* FROM (SELECT count(*) AS n FROM hits) AS total
        LEFT JOIN LATERAL (
            SELECT {_COLUMNS}, tier FROM ranked
            ORDER BY tier, CASE WHEN tier = 2 THEN name_normalised END COLLATE "C", {_RECENT}
            LIMIT %s OFFSET %s
        ) AS page ON true
        """,  # noqa: S608 - constants and fragments built in this module; values are parameters
        [*params, cap or COUNT_CAP + 1, *rank_params, limit, offset],
    )
    rows = cursor.fetchall()
    total = rows[0][0] if rows else 0
    return total, [_result(row[1:], _TIERS[row[8]]) for row in rows if row[1] is not None]


def _tiered(
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
    prefix = _like_prefix(normalised)
    name_filters, name_params = filters + facet_filter[0], [*filter_params, *facet_filter[1]]
    cursor.execute(
        f"(SELECT {_COLUMNS}, 1 FROM {_TABLE} WHERE name_normalised = %s{name_filters} "  # noqa: S608 - constants and fragments built in this module; values are parameters
        f"ORDER BY {_RECENT} LIMIT %s) "
        f"UNION ALL (SELECT {_COLUMNS}, 2 FROM {_TABLE} "
        # "~>~" (not "<>") lets the pattern-ops index start after the exact matches.
        f"WHERE name_normalised LIKE %s AND name_normalised ~>~ %s{name_filters} "
        f"ORDER BY name_normalised USING ~<~, {_RECENT} LIMIT %s)",
        [normalised, *name_params, window, prefix, normalised, *name_params, window],
    )
    rows = cursor.fetchall()
    found = [_result(row, _TIERS[row[7]]) for row in rows if row[7] == 1]
    found += [_result(row, _TIERS[row[7]]) for row in rows if row[7] == 2]
    found = found[:window]
    needed = window - len(found)
    if needed <= 0:
        return found

    def walk_rows(rows: int) -> list:
        cursor.execute(
            f"SELECT {_COLUMNS} FROM ("  # noqa: S608 - constants and fragments built in this module; values are parameters
            f"SELECT {_COLUMNS}, name_normalised, document FROM {_TABLE} WHERE true{filters} "
            f"ORDER BY {_RECENT} LIMIT %s) AS recent "
            f"WHERE {match[0]} AND name_normalised NOT LIKE %s ORDER BY {_RECENT} LIMIT %s",
            [*filter_params, rows, *match[1], prefix, needed],
        )
        return cursor.fetchall()

    rest = walk_rows(WALK_ROWS)
    documents = index_statistics().documents
    if len(rest) < needed and len(rest) >= 10 and documents:
        # A deep page of a fairly common query: walk further if that costs less than fetching
        # and sorting every hit (measured: ~2.5 µs per row walked, ~5 µs per hit sorted).
        density = len(rest) / WALK_ROWS
        walk = int(needed / density * 1.5)
        if walk < 2 * density * documents:
            rest = walk_rows(walk)
    if len(rest) < needed:
        # Few hits among the newest rows: fetch all hits through the GIN index and sort them.
        # ``published_on + 0`` keeps the planner from walking the date index again.
        cursor.execute(
            f"SELECT {_COLUMNS} FROM {_TABLE} WHERE {match[0]} AND name_normalised NOT LIKE %s{filters} "  # noqa: S608 - constants and fragments built in this module; values are parameters
            f"ORDER BY published_on + 0 DESC NULLS LAST, id DESC LIMIT %s",
            [*match[1], prefix, *filter_params, needed],
        )
        rest = cursor.fetchall()
    return found + [_result(row, "match") for row in rest]


def _in_order_through_index(in_order: InOrderQuery) -> bool:
    """Whether the GIN index can bound the in-order candidates: some character of the query is
    not common and, by the planner's statistics, in at most IN_ORDER_CANDIDATES documents (an
    upper bound of the candidates, which must hold every character). True without statistics
    (a small or freshly created table)."""
    statistics = index_statistics()
    bounds = []
    for _fragment, lexeme in in_order.terms:
        if lexeme is None or lexeme in statistics.common:
            continue
        share = statistics.frequency(lexeme)
        if share is None or not statistics.documents:
            return True
        bounds.append(share * statistics.documents)
    return bool(bounds) and min(bounds) <= IN_ORDER_CANDIDATES


def _in_order_sql(
    in_order: InOrderQuery, facets: Sequence[str], filters: str, filter_params: list
) -> tuple[str, list, bool]:
    """The condition for the in-order hits, bounded whatever the characters.

    Through the index: the single-character lexemes of the query (its rare ones driving the GIN
    lookup, as :func:`_match_sql` does) give the candidates, and LIKE patterns on
    ``name_normalised`` check the order of each run. When every character is common (有, 限, 公,
    司 are in most names) or the rarest one is still in more than IN_ORDER_CANDIDATES documents,
    the index would hand over a large part of the table: then only the newest IN_ORDER_WALK
    documents are checked (an ``ORDER BY … LIMIT`` walk of the date index, read once, as an
    array of ids), at most COUNT_CAP + 1 of them kept. Returns (condition, parameters, whether
    it walks).
    """
    likes = "".join(" AND name_normalised LIKE %s" for _pattern in in_order.run_patterns)
    patterns = list(in_order.run_patterns)
    if _in_order_through_index(in_order):
        match, params = _terms_match_sql(list(in_order.terms), facets)
        return f"({match}{likes})", [*params, *patterns], False
    # The patterns check every Chinese character on the name itself; the document (its tokens
    # read from a larger column) is only needed for Latin words and facets.
    others = [fragment for fragment, lexeme in in_order.terms if lexeme not in in_order.run_characters]
    others += [quote_lexeme(facet) for facet in dict.fromkeys(facets)]
    check, check_params = (
        ("ts_match_vq(document, %s::tsquery)", [tsquery_literal(others)]) if others else ("true", [])
    )
    return (
        f"id = ANY(ARRAY(SELECT id FROM (SELECT id, name_normalised{', document' if others else ''} "  # noqa: S608 - constants and fragments built in this module; values are parameters
        f"FROM {_TABLE} WHERE true{filters} ORDER BY {_RECENT} LIMIT %s) AS recent "
        f"WHERE {check}{likes} LIMIT %s))",
        [*filter_params, IN_ORDER_WALK, *check_params, *patterns, COUNT_CAP + 1],
        True,
    )


def _with_in_order(
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
    hits, which sorts them (the candidates are bounded, see :func:`_in_order_sql`)."""
    prefix = _like_prefix(normalised)
    loose, loose_params, walks = _in_order_sql(in_order, facets, filters, filter_params)
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
    total, results = _bounded(
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
        cap=IN_ORDER_BELOW + COUNT_CAP + 1 if walks else None,
    )
    if walks and total > COUNT_CAP:
        return None, results, page * page_size < total
    if total <= COUNT_CAP:
        return total, results, page * page_size < total
    window = offset + page_size + 1
    cursor.execute(
        f"SELECT {_COLUMNS}, tier FROM (SELECT {_COLUMNS}, name_normalised, {rank} FROM {_TABLE} "  # noqa: S608 - constants and fragments built in this module; values are parameters
        f"WHERE {where}) AS hits "
        f'ORDER BY tier, CASE WHEN tier = 2 THEN name_normalised END COLLATE "C", {_RECENT} LIMIT %s',
        [*rank_params, *params, window],
    )
    found = [_result(row, _TIERS[row[7]]) for row in cursor.fetchall()]
    return None, found[offset : offset + page_size], len(found) > offset + page_size


def _check(kinds: Iterable[str] | None, province: str | None, page: int, page_size: int) -> tuple:
    kinds = tuple(dict.fromkeys(kinds or ()))
    unknown = [kind for kind in kinds if kind not in SearchDocument.Kind.values]
    if unknown:
        raise SearchQueryError(_("Unknown kind of subject: %(kinds)s.") % {"kinds": ", ".join(unknown)})
    if province and not re.fullmatch(r"[1-9][0-9]{5}", str(province)):
        raise SearchQueryError(_("A province is given by its six-digit division code."))
    province = (str(province)[:2] + "0000") if province else None
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise SearchQueryError(_("A page holds between 1 and %(max)d results.") % {"max": MAX_PAGE_SIZE})
    if page < 1:
        raise SearchQueryError(_("Pages are numbered from 1."))
    if page > MAX_PAGE:
        raise SearchQueryError(
            _("Only the first %(max)d pages of results are shown; please make the query more specific.")
            % {"max": MAX_PAGE}
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
    text = str(q or "")[: MAX_QUERY_CHARS * 4]
    offset = (page - 1) * page_size
    if published_from and published_to and published_from > published_to:
        raise SearchQueryError(_("The start of a date range cannot be after its end."))
    filters, filter_params = _filters(kinds, province, any_tags, all_tags, (published_from, published_to))
    facet_filter = _facet_filter(facets)
    keys = identifier_keys(text)
    if keys:
        # Fixed text for given filters: prepared once per connection.
        with statement_cursor() as cursor:
            total, results = _bounded(
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
        normalised = normalise(text)[:MAX_QUERY_CHARS]
        if len(normalised) < MIN_QUERY_CHARS:
            raise SearchQueryError(
                _("Please enter at least %(n)d letters or digits of a name, or a full code or ID number.")
                % {"n": MIN_QUERY_CHARS}
            )
        match = _match_sql(text, facets)
        prefix = _like_prefix(normalised)
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
        total, results = _bounded(
            cursor,
            where=where,
            params=params,
            rank="CASE WHEN name_normalised = %s THEN 1 WHEN name_normalised LIKE %s THEN 2 ELSE 3 END AS tier",  # noqa: E501
            rank_params=[normalised, prefix],
            limit=page_size,
            offset=offset,
        )
        if total < IN_ORDER_BELOW and (in_order := in_order_query(text)) is not None:
            # Few contiguous hits: add the names holding the characters in order, gaps allowed.
            loose_total, results, has_next = _with_in_order(
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
        if total <= COUNT_CAP:
            if not total:
                # Instead of "0 results": why a query that looks like an identifier found nothing.
                persons = bool(kinds) and SearchDocument.Kind.ENTERPRISE not in kinds
                problem = identifier_problem(text, persons=persons)
                if problem:
                    raise SearchQueryError(problem)
            return _page(results, total, page, page_size, kinds)

        window = offset + page_size + 1
        found = _tiered(
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
