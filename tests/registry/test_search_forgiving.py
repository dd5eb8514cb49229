"""A search that forgives: spaces separate terms, characters match in order with gaps, ranking
by how closely the name holds the query, and a suggestion when nothing matches."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import query as search_query
from search.models import SearchDocument
from search.query import MIN_QUERY_CHARS, SearchQueryError, search
from search.query import in_order as search_in_order
from search.query import limits as search_limits
from search.query import statistics as search_statistics
from search.services import search_document_upsert, status_facet
from search.suggest import MAX_SUGGESTION_TERMS, Suggestion, query_without_a_term
from search.tokens import contiguous_name_patterns, in_order_query, like_escape, query_tsquery, query_words

ENTERPRISE = SearchDocument.Kind.ENTERPRISE
SHUIBO = "天津市城东新区水博酒店管理商行"
TUJIN = "宜春图锦包装有限公司"


def doc(object_id, name, *, published_on=None, **kwargs):
    search_document_upsert(
        kind=ENTERPRISE, object_id=object_id, name=name, published_on=published_on, **kwargs
    )


def found(query, **kwargs):
    return [(result.name, result.match) for result in search(query, page_size=50, **kwargs).results]


def names(query, **kwargs):
    return [result.name for result in search(query, page_size=50, **kwargs).results]


def no_statistics():
    return search_query.IndexStatistics(frozenset(), 0)


@pytest.fixture(autouse=True)
def _fresh_statistics(monkeypatch):
    # Small test tables have no planner statistics: read none, whatever an earlier test cached.
    monkeypatch.setattr(search_statistics, "index_statistics", no_statistics)
    monkeypatch.setattr(search_statistics, "common_lexemes", frozenset)


# --- the query builder -------------------------------------------------------------------------------


def test_spaces_separate_terms_and_punctuation_joins():
    assert query_words("天津 水博") == ["天津", "水博"]
    assert query_words(" 天津\u3000水博  酒店 ") == ["天津", "水博", "酒店"]  # a full-width space too
    assert query_words("天津·水博 - ") == ["天津·水博"]  # a term of punctuation only is no term
    assert query_words("") == []


def test_contiguous_query_needs_the_bigrams_of_each_term_and_none_across_a_space():
    assert query_tsquery("天津水博") == "'天津' & '津水' & '水博'"
    assert query_tsquery("天津 水博") == "'天津' & '水博'"
    assert query_tsquery("水博 天津 酒") == "'水博' & '天津' & '酒'"
    assert query_tsquery("华信 abc") == "'华信' & 'abc':*"


def test_in_order_query_holds_single_characters_and_one_pattern_per_run():
    loose = in_order_query("天津水博")
    assert [fragment for fragment, _lexeme in loose.terms] == ["'天'", "'津'", "'水'", "'博'"]
    assert [lexeme for _fragment, lexeme in loose.terms] == ["天", "津", "水", "博"]
    assert loose.run_patterns == ("%天%津%水%博%",)
    assert loose.pattern == "%天%津%水%博%"
    spaced = in_order_query("水博 天津")
    assert spaced.run_patterns == ("%水%博%", "%天%津%")  # each run in order, runs in any order
    assert spaced.pattern == "%水%博%天%津%"  # the whole query in the order typed, for ranking


def test_in_order_query_keeps_latin_words_as_words():
    loose = in_order_query("合肥 abc科技")
    fragments = [fragment for fragment, _lexeme in loose.terms]
    assert fragments == ["'合'", "'肥'", "'科'", "'技'", "'abc':*"]
    assert loose.run_patterns == ("%合%肥%", "%科%技%")
    assert loose.pattern == "%合%肥%abc%科%技%"


def test_no_in_order_reading_without_a_run_of_two_characters():
    assert in_order_query("hefei huaxin") is None
    assert in_order_query("合 肥") is None  # single characters: the contiguous query already has them
    assert in_order_query("") is None


def test_contiguous_name_patterns_hold_each_run_unless_a_word_is_matched_as_a_prefix():
    assert contiguous_name_patterns("信息技术") == ("%信息技术%",)
    assert contiguous_name_patterns("天津 水博·酒店") == ("%天津%", "%水博酒店%")
    assert contiguous_name_patterns("华信 abc") is None
    assert contiguous_name_patterns("科技 2") is None


def test_like_patterns_escape_everything():
    assert like_escape("a%b_c\\d") == "a\\%b\\_c\\\\d"


# --- what is found ---------------------------------------------------------------------------------


def test_the_queries_citizens_type_find_the_company(db):
    doc(1, SHUIBO)
    doc(2, TUJIN)
    doc(3, "北京明远科技有限公司")
    for query in ("天津水博", "天津 水博", "城东新区酒店", "水博 天津", "天津 酒店 城东", "tianjin 水博"):
        assert names(query) == [SHUIBO], query
    assert names("宜春包装") == [TUJIN]
    assert names("宜春 包装") == [TUJIN]


def test_every_term_must_match(db):
    doc(1, SHUIBO)
    assert names("天津 宾馆") == []
    assert names("天津水博宾馆") == []
    assert names("水博津天") == []  # one run: its characters must come in order


def test_ranking_exact_prefix_contiguous_in_order_then_the_rest(db):
    doc(1, "天津水博", published_on=dt.date(2001, 1, 1))  # exact
    doc(2, "天津水博酒店有限公司", published_on=dt.date(2002, 1, 1))  # prefix
    doc(3, "天津水博宾馆有限公司", published_on=dt.date(2003, 1, 1))  # prefix, newer
    doc(4, "北京天津水博商贸有限公司", published_on=dt.date(2004, 1, 1))  # contiguous
    doc(5, SHUIBO, published_on=dt.date(2005, 1, 1))  # in order, with gaps
    doc(6, "天津市和平区水泽博达有限公司", published_on=dt.date(2006, 1, 1))  # in order, newer
    doc(7, "水博天津贸易有限公司", published_on=dt.date(2007, 1, 1))  # terms out of order
    doc(8, "天津市红桥区宾馆", published_on=dt.date(2008, 1, 1))  # misses 水博
    page = search("天津 水博", page_size=50)
    # Prefixes in code-point order (宾 U+5BBE before 酒 U+9152), every other class newest first.
    assert [(r.object_id, r.match) for r in page.results] == [
        (1, "exact"),
        (3, "prefix"),
        (2, "prefix"),
        (7, "match"),
        (5, "match"),  # 天津 and 水博 are both there, apart
        (4, "match"),
        (6, "in_order"),
    ]
    assert page.total_estimate == 7
    assert [(r.object_id, r.match) for r in search("天津水博", page_size=50).results] == [
        (1, "exact"),
        (3, "prefix"),
        (2, "prefix"),
        (4, "match"),  # 7 has no 津水 and holds 天津 after 水博: not found by the one run
        (6, "in_order"),
        (5, "in_order"),
    ]
    # Each term is found, in order within itself, but the terms come in the other order.
    assert [(r.object_id, r.match) for r in search("水博 天津", page_size=50).results] == [
        (7, "prefix"),
        (5, "match"),
        (4, "match"),
        (3, "match"),
        (2, "match"),
        (1, "match"),
        (6, "unordered"),  # each term in order within itself, but 天津 comes before 水博
    ]


def test_in_order_hits_are_looked_for_only_below_a_page_of_contiguous_hits(db, monkeypatch):
    doc(1, "天津水博有限公司", published_on=dt.date(2001, 1, 1))
    doc(2, "天津水博商贸有限公司", published_on=dt.date(2002, 1, 1))
    doc(3, SHUIBO, published_on=dt.date(2003, 1, 1))
    assert len(names("天津水博")) == 3
    monkeypatch.setattr(search_limits, "IN_ORDER_BELOW", 2)
    page = search("天津水博")
    assert [r.object_id for r in page.results] == [2, 1]  # prefixes in code-point order: 商 before 有
    assert page.total_estimate == 2  # the count and the pages agree: in-order hits are left out


def test_filters_and_facets_apply_to_in_order_hits(db):
    doc(1, SHUIBO, province="120000", facets=[status_facet("revoked")], published_on=dt.date(2020, 1, 1))
    doc(2, "天津市河西区水博宾馆", province="120000", facets=[status_facet("in_operation")])
    doc(3, "天津红桥水上博物馆", province="110000", facets=[status_facet("revoked")])
    assert sorted(names("天津水博")) == sorted([SHUIBO, "天津市河西区水博宾馆", "天津红桥水上博物馆"])
    assert names("天津水博", facets=[status_facet("revoked")], province="120000") == [SHUIBO]
    assert names("天津水博", province="110000") == ["天津红桥水上博物馆"]
    assert names("天津水博", published_from=dt.date(2019, 1, 1)) == [SHUIBO]


def test_a_rare_query_runs_two_statements_and_the_in_order_one_uses_the_gin_index(
    db, django_assert_max_num_queries
):
    doc(1, SHUIBO)
    with CaptureQueriesContext(connection) as queries:
        assert names("城东新区酒店") == [SHUIBO]
    assert len(queries.captured_queries) == 2
    statement = queries.captured_queries[-1]["sql"]
    assert "LIKE '%城%东%新%区%酒%店%'" in statement
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {statement}")
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert "search_doc_document_gin" in plan
    assert "Seq Scan" not in plan


def statistics(common=(), frequencies=None, documents=2_000_000, ceiling=0.002):
    frequencies = dict(frequencies or {})
    frequencies.update({lexeme: 0.5 for lexeme in common})
    return search_query.IndexStatistics(frozenset(common), documents, frequencies, ceiling)


def test_candidates_go_through_the_index_only_when_the_statistics_bound_them(monkeypatch):
    loose = in_order_query("天津水博")
    cases = [
        (no_statistics(), True),  # a small or fresh table
        (statistics(), True),  # unlisted characters: at most 0.2 % of 2 million = 4,000 each
        (statistics(frequencies={"天": 0.03, "津": 0.02}), True),  # 水 and 博 still bound them
        (statistics(ceiling=0.01), False),  # the rarest may be in 20,000 documents: too many
        (statistics(common={"天", "津", "水", "博"}), False),  # every character common
        (statistics(common={"天", "津", "水"}, ceiling=0.004), True),  # 博: at most 8,000
    ]
    for stats, through_index in cases:
        monkeypatch.setattr(search_statistics, "index_statistics", lambda stats=stats: stats)
        assert search_in_order.in_order_through_index(loose) is through_index, stats


def test_common_characters_are_checked_on_the_newest_documents_only(db, monkeypatch):
    for number in range(1, 7):
        doc(number, f"{number}号天津水泽博达有限公司", published_on=dt.date(2000 + number, 1, 1))
    doc(100, "天津水博有限公司", published_on=dt.date(1990, 1, 1))  # contiguous: always found
    everything = names("天津水博")
    assert len(everything) == 7
    common = statistics(common={"天", "津", "水", "博"})
    monkeypatch.setattr(search_statistics, "index_statistics", lambda: common)
    monkeypatch.setattr(search_statistics, "common_lexemes", lambda: common.common)
    with CaptureQueriesContext(connection) as queries:
        assert names("天津水博") == everything  # the walk covers the whole small table
    assert "ORDER BY published_on DESC NULLS LAST, id DESC LIMIT 10000" in queries.captured_queries[-1]["sql"]
    doc(200, "上海水泽博达有限公司", published_on=dt.date(2010, 1, 1))  # no 天: a one-character term
    assert 200 not in [r.object_id for r in search("水博 天").results]
    assert 200 in [r.object_id for r in search("水博 上").results]
    # More walked hits than the count cap: the same order, counted as "more than".
    monkeypatch.setattr(search_limits, "COUNT_CAP", 3)
    capped = search("天津水博", page_size=4)
    assert [r.name for r in capped.results] == everything[:4]
    assert capped.total_estimate is None and capped.has_next
    monkeypatch.setattr(search_limits, "COUNT_CAP", 1000)
    monkeypatch.setattr(search_limits, "IN_ORDER_WALK", 3)
    page = search("天津水博")
    assert [r.object_id for r in page.results] == [100, 6, 5]  # among the newest three only (200 too)
    assert page.total_estimate == 3


def test_more_in_order_hits_than_the_count_cap_are_sorted_in_the_same_order(
    db, monkeypatch, django_assert_max_num_queries
):
    doc(100, "天津水博有限公司", published_on=dt.date(1990, 1, 1))
    for number in range(1, 13):
        doc(number, f"天津{number}号水泽博达有限公司", published_on=dt.date(2000 + number % 5, 1, number))
    doc(200, "水博天津有限公司", published_on=dt.date(2020, 1, 1))
    bounded = [search("天津 水博", page=page, page_size=4) for page in (1, 2, 3, 4)]
    assert bounded[0].total_estimate == 14
    monkeypatch.setattr(search_limits, "COUNT_CAP", 5)
    for old, page in zip(bounded, (1, 2, 3, 4)):
        with django_assert_max_num_queries(3):
            new = search("天津 水博", page=page, page_size=4)
        assert [(r.object_id, r.match) for r in new.results] == [(r.object_id, r.match) for r in old.results]
        assert new.has_next == old.has_next
        assert new.total_estimate is None


def test_a_masked_id_and_identifiers_still_answer_first(db):
    doc(1, SHUIBO, identifiers=["91120000MA05XXXX0X"])
    assert [r.match for r in search("91120000MA05XXXX0X").results] == ["identifier"]
    with pytest.raises(SearchQueryError):
        search("天", page_size=10)


# --- a suggestion when nothing matches -----------------------------------------------------------


def test_a_query_that_finds_nothing_suggests_leaving_out_a_term(db):
    doc(1, SHUIBO)
    doc(2, "天津市宾馆管理有限公司")
    doc(3, "天津北辰宾馆有限公司")
    assert names("天津 水博 宾馆") == []
    # Without 水博 two are found, without 宾馆 one: the most specific query is suggested.
    assert query_without_a_term("天津 水博 宾馆") == Suggestion(query="天津 水博", dropped="宾馆")
    assert query_without_a_term("宾馆 天津 水博") == Suggestion(query="天津 水博", dropped="宾馆")
    assert query_without_a_term("上海 水博") == Suggestion(query="水博", dropped="上海")
    assert query_without_a_term("上海 宁波") is None  # nothing either way
    assert query_without_a_term("水博宾馆") is None  # one term: nothing to leave out
    assert query_without_a_term("天 水博 宾馆 上海 广州 深圳") is None  # too many terms to try
    assert MAX_SUGGESTION_TERMS == 5


def test_a_suggestion_keeps_the_filters_and_skips_too_short_queries(db):
    doc(1, SHUIBO, province="120000")
    assert query_without_a_term("水博 宾馆", province="110000") is None
    assert query_without_a_term("水博 宾馆", province="120000") == Suggestion("水博", "宾馆")
    assert query_without_a_term("天 宾馆") is None  # 天 alone is too short to search
    seen = []

    def run(text):
        seen.append(text)
        return search(text, page_size=1)

    assert query_without_a_term("水博 宾馆 上海", run=run) is None  # every shorter query finds nothing
    assert seen == ["宾馆 上海", "水博 上海", "水博 宾馆"]


# --- property: characters taken in order from a name find it --------------------------------------------

NAMES = [
    SHUIBO,
    TUJIN,
    "合肥华信科技有限公司",
    "上海浦东新区张江高科技园区管理委员会",
    "芜湖长江物流有限公司",
]


def test_characters_taken_in_order_from_a_name_find_it(db):
    for number, name in enumerate(NAMES, start=1):
        doc(number, name)

    @st.composite
    def subsequence(draw):
        name = draw(st.sampled_from(NAMES))
        picked = draw(
            st.lists(st.integers(0, len(name) - 1), min_size=MIN_QUERY_CHARS, max_size=8, unique=True)
        )
        characters = [name[index] for index in sorted(picked)]
        # A space before a character starts a new term; terms stay in the name's order.
        spaces = draw(st.lists(st.booleans(), min_size=len(characters), max_size=len(characters)))
        query = "".join((" " if space else "") + character for space, character in zip(spaces, characters))
        return name, query

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(subsequence())
    def check(drawn):
        name, query = drawn
        assert name in names(query), query

    check()
