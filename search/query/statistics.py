"""What the planner's statistics say about the search documents: common tokens, frequencies."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection

from search.query import limits
from search.query.sql import RUNS_TABLE, TABLE


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
    pages: int = 0  # pg_class.relpages: the table's size in pages, 0 before the first VACUUM/ANALYZE
    # Share of documents of each kind (``kind``'s most common values); empty before ANALYZE.
    kinds: dict[str, float] = field(default_factory=dict)
    # Share of documents whose name holds each frequent run of three or more Chinese characters
    # (``search.models.FrequentRun``, counted on a sample); empty until counted.
    runs: dict[str, float] = field(default_factory=dict)

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
    The share of each kind of document is read with them (the ``kind`` column's most common
    values), and the frequent runs of characters with theirs (``search.models.FrequentRun``).
    One statement, cached per process and database.
    """
    global _statistics_cache
    expires, database, statistics = _statistics_cache
    if time.monotonic() < expires and database == connection.settings_dict["NAME"]:
        return statistics
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass), "  # noqa: S608 - the model's table
            "(SELECT relpages FROM pg_class WHERE oid = %s::regclass), "
            "ARRAY(SELECT u.lexeme || '|' || u.frequency::text FROM pg_stats s, "
            "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(lexeme, frequency) "
            "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'document' "
            "AND u.lexeme IS NOT NULL), "
            "ARRAY(SELECT u.kind || '|' || u.frequency::text FROM pg_stats s, "
            "unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS u(kind, frequency) "
            "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'kind' "
            "AND u.kind IS NOT NULL), "
            f"ARRAY(SELECT run || '|' || share::text FROM {RUNS_TABLE})",
            [TABLE, TABLE, TABLE, TABLE],
        )
        documents, pages, pairs, kind_pairs, run_pairs = cursor.fetchone()
    frequencies = {}
    for pair in pairs or ():
        lexeme, _bar, frequency = pair.rpartition("|")
        frequencies[lexeme] = float(frequency)
    statistics = IndexStatistics(
        common=frozenset(
            lexeme for lexeme, share in frequencies.items() if share > limits.COMMON_TOKEN_FREQUENCY
        ),
        documents=int(documents or 0),
        frequencies=frequencies,
        unlisted_ceiling=min(frequencies.values()) if frequencies else None,
        pages=int(pages or 0),
        kinds={
            kind: float(share) for kind, _bar, share in (pair.rpartition("|") for pair in kind_pairs or ())
        },
        runs={run: float(share) for run, _bar, share in (pair.rpartition("|") for pair in run_pairs or ())},
    )
    _statistics_cache = (
        time.monotonic() + limits.STATISTICS_TTL,
        connection.settings_dict["NAME"],
        statistics,
    )
    return statistics


def common_lexemes() -> frozenset[str]:
    return index_statistics().common
