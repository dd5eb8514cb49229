"""SQL conditions of a search: the token match, facets, the name prefix and the filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from search.normalise import normalise_identifier
from search.query import limits, statistics
from search.tokens import query_terms, quote_lexeme, single_run, tsquery_literal


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


def terms_match_sql(
    terms: list[tuple[str, str | None]], facets: Sequence[str] = (), *, characters: bool = False
) -> tuple[str, list[str]]:
    """What :func:`match_sql` does, for any list of (tsquery fragment, lexeme) terms.

    ``characters``: the terms are single characters (the in-order pass), and the rarest ones in
    at most CHARACTER_DRIVING_FREQUENCY of documents drive (CHARACTER_DRIVERS of them), whatever
    the estimate: the characters of one place or trade name (牡丹江) always come together, so an
    estimate that takes them as independent stops too early (牡 and 丹 leave 7,337 candidates,
    牡 丹 江 盛 331), and the GIN index intersects such lists for a few milliseconds where each
    candidate left costs a heap fetch."""
    facet_terms = [(quote_lexeme(facet), facet) for facet in dict.fromkeys(facets)]
    everything = [*terms, *facet_terms]
    full = tsquery_literal(fragment for fragment, _lexeme in everything)
    stats = statistics.index_statistics()
    reduced = [
        (_rarest_alternatives(fragment, stats) if lexeme is None else fragment) for fragment, lexeme in terms
    ]
    if len(everything) > 1:
        common = statistics.common_lexemes()
        driving = _driving_characters(terms, stats) if characters else None
        driving = driving or _driving_terms(terms, common)
        frequencies = stats.frequencies if facet_terms else {}
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
    else:
        driving = [fragment for fragment, _lexeme in everything]
    by_fragment = dict(zip((fragment for fragment, _lexeme in terms), reduced, strict=True))
    driving_literal = tsquery_literal(by_fragment.get(fragment, fragment) for fragment in driving)
    if driving_literal != full:
        return "(document @@ %s::tsquery AND ts_match_vq(document, %s::tsquery))", [driving_literal, full]
    return "document @@ %s::tsquery", [full]


# One reading of a romanised word inside a fragment: plain quoted lexemes joined by " & ".
_READING = re.compile(r"\(('[0-9a-z]+'(?::\*)?(?: & '[0-9a-z]+'(?::\*)?)+)\)")
_PLAIN_LEXEME = re.compile(r"^'([0-9a-z]+)'$")


def _rarest_alternatives(fragment: str, stats: statistics.IndexStatistics) -> str:
    """``fragment`` for the GIN lookup: each reading of a romanised word (``'hua' & 'axin'``)
    replaced by its rarest plain lexeme, which every document matching the reading holds. The
    whole fragment is still checked on the rows found. Without the planner's frequencies, the
    fragment itself. ``huaxin`` reads as huaxin or hu-a-xin, and 'hua' is in a third of all
    names: asked for it, the index reads 680,000 entries (0.17 s at 2 million documents) to
    return nothing the rarer 'axin' would not."""
    if not stats.documents or "&" not in fragment:
        return fragment

    def rarest(reading: re.Match) -> str:
        parts = reading.group(1).split(" & ")
        plain = [
            (stats.frequency(found.group(1)), part) for part in parts if (found := _PLAIN_LEXEME.match(part))
        ]
        if not plain or any(share is None for share, _part in plain):
            return reading.group(0)
        share, part = min(plain)
        # A frequent lexeme alone would hand over more rows than the reading matches.
        return part if share <= limits.READING_DRIVING_FREQUENCY else reading.group(0)

    return _READING.sub(rarest, fragment)


def _driving_characters(terms: list[tuple[str, str | None]], stats: statistics.IndexStatistics) -> list[str]:
    """The CHARACTER_DRIVERS rarest terms in at most CHARACTER_DRIVING_FREQUENCY of documents, and
    every one without a lexeme; empty (decide as for any terms) without the frequencies of all
    of them. (Each further list costs the index more than the few candidates it still removes:
    a long exact name has a dozen such characters.)"""
    if not stats.documents or any(
        lexeme is not None and stats.frequency(lexeme) is None for _fragment, lexeme in terms
    ):
        return []
    rarest = sorted(
        (stats.frequency(lexeme), fragment)
        for fragment, lexeme in terms
        if lexeme is not None and stats.frequency(lexeme) <= limits.CHARACTER_DRIVING_FREQUENCY
    )[: limits.CHARACTER_DRIVERS]
    if not rarest:
        return []
    words = [fragment for fragment, lexeme in terms if lexeme is None]
    return words + [fragment for _share, fragment in rarest]


def _driving_terms(terms: list[tuple[str, str | None]], common: frozenset[str]) -> list[str]:
    """The fragments of ``terms`` the GIN lookup is given; the others are only checked.

    Each fragment the index is given costs a read of its posting list, of which the index skips
    what a shorter list already rules out; each candidate row it returns costs a heap fetch
    (1-6 µs, the page is usually not in shared buffers). So with the planner's frequencies
    known, the rarest lexeme drives, and the next rarest ones join it while the candidates they
    leave are still more than DRIVING_CANDIDATES, their own lists are at most
    DRIVING_MAX_FREQUENCY of the documents and they leave at most DRIVING_NARROWING of the
    candidates: ``北京市信息`` is driven by 市信, 北京 and 信息 (1,269 rows left, 11 ms in the index
    at 2 million documents) rather than by 市信 and 信息 (6,563 rows, 8 ms) or 市信 alone (86,000
    heap fetches); ``华远 北京市 科技`` by 华远 and 北京, 2,543 rows instead of 21,399 (100 ms of
    heap fetches to find 662 hits, 20 ms now). Every
    token in at most DRIVING_RARE_FREQUENCY of documents drives as well, whatever the estimate
    (see below): a long exact name is driven by its rare pairs, not by 管理, 有限 or 公司.

    Tokens are taken as independent, except a token sharing a character with one already
    driving (临汾 and 汾市 of 临汾市, neighbours in one word, come together): it counts as
    OVERLAP_PENALTY times as frequent, so ``医疗 明信 临汾市`` is driven by 汾市 and 明信, not by
    汾市 and 临汾 (8,869 rows of 临汾市 to fetch for 2 hits), and one that would not narrow the
    candidates at all does not join. Pairs of one name that share no character (齐齐 and 哈尔)
    are just as correlated, which no estimate from single shares sees; the rare tokens driving
    anyway keep such a pair from driving alone. Fragments with no lexeme (prefixes,
    pinyin alternatives) always drive; without frequencies (a small or fresh table), or beside
    such fragments, every lexeme that is not common drives, as before.
    """
    plain = [fragment for fragment, lexeme in terms if lexeme is None or lexeme not in common]
    stats = statistics.index_statistics()
    if any(lexeme is None for _fragment, lexeme in terms) or not stats.documents:
        return plain
    remaining = {fragment: (stats.frequency(lexeme), lexeme) for fragment, lexeme in terms}
    if not remaining or any(share is None for share, _lexeme in remaining.values()):
        return plain
    driving: list[str] = []
    driving_characters: set[str] = set()
    candidates = float(stats.documents)

    def effective(item: tuple[str, tuple[float, str]]) -> tuple[float, str]:
        fragment, (share, lexeme) = item
        overlaps = bool(driving_characters & set(lexeme))
        return (min(1.0, share * limits.OVERLAP_PENALTY) if overlaps else share, fragment)

    while remaining:
        share_counted, fragment = min(map(effective, remaining.items()))
        if driving and candidates <= limits.DRIVING_CANDIDATES:
            break
        share, lexeme = remaining.pop(fragment)
        if driving and (share > limits.DRIVING_MAX_FREQUENCY or share_counted > limits.DRIVING_NARROWING):
            continue
        driving.append(fragment)
        driving_characters.update(lexeme)
        candidates *= share_counted
    # The estimate above is only as good as the independence it assumes, and pairs of one name
    # are not independent: 哈尔 and 齐齐 (no character shared) are both in every name of
    # 齐齐哈尔, 4,005 rows to fetch where the estimate said 80. A rare token's posting list is
    # short and the index intersects it at little cost, so every rare token drives too.
    driving += [
        fragment for fragment, (share, _lexeme) in remaining.items() if share <= limits.DRIVING_RARE_FREQUENCY
    ]
    return driving


def dense_share(text: str) -> float | None:
    """The share of documents holding the query's rarest token, when every part of the query is
    a lexeme whose share the planner's statistics know; otherwise None. A bigram chain such as
    信息技术 is in about as many names as its rarest pair, so this is close to the share of
    documents the query matches (and an upper bound of it)."""
    stats = statistics.index_statistics()
    terms = query_terms(text)
    if not stats.documents or not terms or any(lexeme is None for _fragment, lexeme in terms):
        return None
    shares = [stats.frequency(lexeme) for _fragment, lexeme in terms]
    if any(share is None for share in shares):
        return None
    return min(shares)


# The prefix every reading of a romanised or Latin word starts with: ``('shihua':* | …)``.
_WORD_PREFIX = re.compile(r"^\(?'([0-9a-z]+)':\*")


def statistics_hits(text: str, kinds: Sequence[str] = ()) -> int:
    """How many documents (of ``kinds``) the planner's statistics prove to match the query: a
    lower bound, 0 when they tell nothing.

    Only a query of one term is judged: a single lexeme (科技) is held by the share of documents
    the statistics list for it; a word matched as a prefix (``shihua`` → ``'shihua':* | …``) by
    at least the share of the most frequent listed lexeme it starts (the pair shihua itself).
    A conjunction of terms has no lower bound from single shares, except a query of one run of
    Chinese characters that many names hold as written (市华信, 商贸有限): every such name holds
    all its pairs, so the run's counted share (``search.models.FrequentRun``) is one. With
    ``kinds``, the documents of the other kinds (the ``kind`` column's statistics) are taken
    off, as if they all matched.
    """
    stats = statistics.index_statistics()
    terms = query_terms(text)
    if not stats.documents or not terms:
        return 0
    run = single_run(text)
    if run is not None and len(terms) > 1:
        share = stats.runs.get(run, 0.0)
    elif len(terms) != 1:
        return 0
    elif (lexeme := terms[0][1]) is not None:
        share = stats.frequencies.get(lexeme, 0.0)
    elif found := _WORD_PREFIX.match(terms[0][0]):
        share = max(
            (
                frequency
                for listed, frequency in stats.frequencies.items()
                if listed.startswith(found.group(1))
            ),
            default=0.0,
        )
    else:
        return 0
    if kinds:
        share -= max(0.0, 1.0 - sum(stats.kinds.get(kind, 0.0) for kind in kinds))
    return max(0, int(share * stats.documents))


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
