"""How a search keeps its cost down: which tokens drive the GIN lookup, how frequent queries are
counted, and the in-order pass reading names from the date index alone. Every path must give
the same results as the plain one."""

import datetime as dt

import pytest
from django.db import connection

from search.models import SearchDocument
from search.query import IndexStatistics, search
from search.query import conditions as search_conditions
from search.query import engine as search_engine
from search.query import in_order as search_in_order
from search.query import limits as search_limits
from search.query import statistics as search_statistics
from search.services import search_document_row, search_documents_write
from search.tokens import in_order_query

ENTERPRISE = SearchDocument.Kind.ENTERPRISE


def use_statistics(monkeypatch, frequencies, *, documents=2_000_000, ceiling=0.0063, pages=0, kinds=None):
    statistics = IndexStatistics(
        frozenset(lexeme for lexeme, share in frequencies.items() if share > 0.05),
        documents,
        frequencies,
        ceiling,
        pages,
        kinds or {},
    )
    monkeypatch.setattr(search_statistics, "index_statistics", lambda: statistics)
    monkeypatch.setattr(search_statistics, "common_lexemes", lambda: statistics.common)
    return statistics


def write_documents(names):
    search_documents_write(
        [
            search_document_row(
                kind=ENTERPRISE,
                object_id=n,
                name=name,
                published_on=dt.date(2000, 1, 1) + dt.timedelta(days=n),
            )
            for n, name in enumerate(names, start=1)
        ]
    )


def ids(page):
    return [(result.object_id, result.match) for result in page.results]


# --- which tokens drive the GIN lookup -----------------------------------------------------------


def test_the_rarest_tokens_drive_until_few_candidates_are_left(monkeypatch):
    use_statistics(monkeypatch, {"北京": 0.12, "京市": 0.12, "信息": 0.064, "市信": 0.043})
    # 市信 alone leaves 86,000 rows to fetch; 北京 (no character shared) about 10,000; 信息 (sharing
    # 信, so counted as 8 times as frequent) about 5,300; 京市 would leave 96 % of those: not read.
    sql, params = search_conditions.match_sql("北京市信息")
    assert "ts_match_vq" in sql
    assert params == ["'市信' & '北京' & '信息'", "'北京' & '京市' & '市信' & '信息'"]


def test_a_long_name_is_driven_by_its_rare_pairs_not_by_its_frequent_ones(monkeypatch):
    use_statistics(monkeypatch, {"有限": 0.85, "公司": 0.85, "限公": 0.68, "科技": 0.2, "技有": 0.2})
    _sql, params = search_conditions.match_sql("通辽慧信达科技有限公司")
    # Every name pair is rare (unlisted, at most 0.63 %): short lists, all intersected by the
    # index; the frequent pairs of the company suffix are only checked.
    driving = params[0].split(" & ")
    assert set(driving) == {"'通辽'", "'辽慧'", "'慧信'", "'信达'", "'达科'"}
    assert params[1].count("&") == 9  # all ten pairs are checked on the rows found


def test_pairs_of_one_place_name_do_not_drive_alone(monkeypatch):
    # 齐齐 and 哈尔 share no character, so as independent tokens they would leave ~80 candidates;
    # both are in every name of 齐齐哈尔 (4,005 rows at 2 million documents). The other rare pairs
    # drive too, so the index intersects them instead of the heap checking thousands of rows.
    use_statistics(monkeypatch, {"物流": 0.0194}, ceiling=0.0065)
    _sql, params = search_conditions.match_sql("齐齐哈尔物流")
    assert set(params[0].split(" & ")) == {"'齐齐'", "'齐哈'", "'哈尔'", "'尔物'", "'物流'"}


def test_a_rare_term_of_another_word_joins_the_drivers(monkeypatch):
    use_statistics(monkeypatch, {"文化": 0.0129, "信华": 0.0188, "科技": 0.2}, ceiling=0.0065)
    _sql, params = search_conditions.match_sql("文化 阿拉善盟 信华 科技")
    driving = set(params[0].split(" & "))
    assert {"'文化'", "'信华'", "'阿拉'", "'拉善'", "'善盟'"} == driving  # 科技 (20 %) only checked
    assert "'科技'" in params[1]


def test_frequent_tokens_only_drive_by_the_rarest(monkeypatch):
    use_statistics(monkeypatch, {"科技": 0.215, "技有": 0.197})
    assert search_conditions.match_sql("科技有") == (
        "(document @@ %s::tsquery AND ts_match_vq(document, %s::tsquery))",
        ["'技有'", "'科技' & '技有'"],
    )


def test_without_statistics_every_token_drives(monkeypatch):
    # A fresh table has no statistics: nothing is left to the check (the earlier behaviour).
    use_statistics(monkeypatch, {}, documents=0, ceiling=None)
    assert search_conditions.match_sql("北京市信息") == (
        "document @@ %s::tsquery",
        ["'北京' & '京市' & '市信' & '信息'"],
    )


def test_romanised_readings_drive_by_their_rarest_pair(db, monkeypatch):
    write_documents(["合肥华信科技有限公司", "华新建材有限公司", "滑县信达商贸有限公司", "北京科技有限公司"])
    plain = search("huaxin")
    use_statistics(monkeypatch, {"hua": 0.34, "xin": 0.37, "axin": 0.001}, documents=4)
    sql, params = search_conditions.match_sql("huaxin")
    # 'hua' is in a third of all names; every name holding hu-a-xin holds 'axin'.
    assert params == ["('huaxin':* | 'axin')", "('huaxin':* | ('hua' & 'axin'))"]
    assert "ts_match_vq" in sql
    assert ids(search("huaxin")) == ids(plain) and plain.results


def test_a_reading_whose_rarest_pair_is_frequent_keeps_every_pair(monkeypatch):
    use_statistics(monkeypatch, {"hua": 0.34, "axin": 0.2})
    assert search_conditions.match_sql("huaxin") == (
        "document @@ %s::tsquery",
        ["('huaxin':* | ('hua' & 'axin'))"],
    )


def test_the_rarest_characters_drive_the_in_order_lookup_whatever_the_estimate(monkeypatch):
    use_statistics(monkeypatch, {"牡": 0.0035, "丹": 0.0062, "江": 0.029, "盛": 0.043, "华": 0.315})
    loose = in_order_query("牡丹江盛盛华")
    sql, params = search_conditions.terms_match_sql(list(loose.terms), characters=True)
    # Taken as independent, 牡 and 丹 would leave 43 of 2 million documents; as one city's name
    # they leave 7,337. 华, in a third of all names, is only checked.
    assert params == ["'牡' & '丹' & '江' & '盛'", "'牡' & '丹' & '江' & '盛' & '华'"]
    assert "ts_match_vq" in sql
    # Any other terms are still driven by the estimate.
    assert search_conditions.terms_match_sql(list(loose.terms))[1][0] == "'牡' & '丹'"


def test_at_most_four_characters_drive_the_in_order_lookup(monkeypatch):
    shares = {"鹤": 0.004, "岗": 0.005, "诚": 0.03, "大": 0.08, "房": 0.02, "地": 0.06, "产": 0.07}
    use_statistics(monkeypatch, shares)
    loose = in_order_query("鹤岗诚大房地产")
    _sql, params = search_conditions.terms_match_sql(list(loose.terms), characters=True)
    assert params[0] == "'鹤' & '岗' & '房' & '诚'"


def test_in_order_hits_are_the_same_whichever_characters_drive(db, monkeypatch):
    write_documents(["牡丹江盛华商贸", "牡丹江市盛大华信", "牡丹江华盛", "江盛华", "牡丹江大酒店"])
    plain = search("牡丹江盛华")
    assert {result.object_id for result in plain.results} == {1, 2}
    use_statistics(
        monkeypatch, {"牡": 0.0035, "丹": 0.0062, "江": 0.029, "盛": 0.043, "华": 0.315}, documents=5
    )
    assert ids(search("牡丹江盛华")) == ids(plain)


# --- frequent queries: counted in a walk of the newest documents --------------------------------


def frequent_documents(word=""):
    write_documents(
        [f"合肥{n}华信科技{word}有限公司" for n in range(1, 41)] + [f"华信科技{word}", "上海贸易有限公司"]
    )


@pytest.mark.parametrize(
    ("query", "pages", "first_statement"),
    [
        # Chinese only: the names of the newest documents, from the date index alone.
        ("华信科技", 1, "SELECT count(*) FROM (SELECT 1 FROM (SELECT name_normalised, kind FROM"),
        ("华信科技", 0, "SELECT count(*) FROM (SELECT 1 FROM (SELECT name_normalised, kind FROM"),
        # A word a name pattern cannot check: the token vectors of the table's first pages.
        (
            "华信科技 a",
            1,
            "SELECT count(*) FROM (SELECT 1 FROM registry_searchdocument WHERE ctid < %s::tid AND",
        ),
        # Without the table's size in pages: the newest documents of the date index.
        ("华信科技 a", 0, "SELECT count(*) FROM (SELECT 1 FROM (SELECT name_normalised, document"),
    ],
)
def test_a_frequent_query_is_counted_in_a_bounded_read(
    db, monkeypatch, django_assert_max_num_queries, query, pages, first_statement
):
    frequent_documents(" a" if " a" in query else "")
    monkeypatch.setattr(search_limits, "COUNT_CAP", 5)
    plain = [search(query, page=page, page_size=7) for page in (1, 2, 6)]
    use_statistics(
        monkeypatch, {"华信": 0.95, "信科": 0.95, "科技": 0.95, "a": 0.95}, documents=42, pages=pages
    )
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    for old, page in zip(plain, (1, 2, 6)):
        statements.clear()
        with django_assert_max_num_queries(4), connection.execute_wrapper(capture):
            new = search(query, page=page, page_size=7)
        assert ids(new) == ids(old)
        assert new.has_next == old.has_next
        assert new.total_estimate is None and new.total_display == "5+"
        # The first statement counts in a bounded read, not through the GIN index.
        assert first_statement in statements[0]
    assert ids(search(query, page_size=3))[0] == (41, "exact")


def test_a_frequent_query_with_few_hits_among_the_newest_is_counted_exactly(db, monkeypatch):
    frequent_documents()
    plain = search("华信科技")
    assert plain.total_estimate == 41
    use_statistics(monkeypatch, {"华信": 0.95, "信科": 0.95, "科技": 0.95}, documents=42)
    # The walk finds 41 hits, not more than the cap: that proves nothing, so the index counts.
    page = search("华信科技")
    assert page.total_estimate == 41 and ids(page) == ids(plain)
    monkeypatch.setattr(search_limits, "COUNT_CAP", 30)
    monkeypatch.setattr(search_limits, "COUNT_WALK_ROWS", 10)  # the walk sees too few documents
    monkeypatch.setattr(search_limits, "COUNT_NAMES_ROWS", 10)
    page = search("华信科技")
    assert page.total_display == "30+" and ids(page) == ids(plain)


def test_a_search_narrowed_to_a_kind_is_counted_in_the_bounded_read_too(db, monkeypatch):
    frequent_documents()
    write_documents_of_kind(SearchDocument.Kind.PERSON, ["华信科技"] * 3)
    monkeypatch.setattr(search_limits, "COUNT_CAP", 5)
    plain = search("华信科技", kinds=[ENTERPRISE], page_size=7)
    use_statistics(monkeypatch, {"华信": 0.95, "信科": 0.95, "科技": 0.95}, documents=45, pages=1)
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        page = search("华信科技", kinds=[ENTERPRISE], page_size=7)
    sql, params = statements[0]
    assert "SELECT name_normalised, kind FROM" in sql and "kind = ANY(%s)" in sql and [ENTERPRISE] in params
    assert ids(page) == ids(plain) and {result.kind for result in page.results} == {ENTERPRISE}
    assert page.total_display == "5+"


def write_documents_of_kind(kind, names, start=1000):
    search_documents_write(
        [
            search_document_row(kind=kind, object_id=n, name=name, published_on=dt.date(2030, 1, 1))
            for n, name in enumerate(names, start=start)
        ]
    )


@pytest.mark.parametrize(
    ("query", "frequencies", "kinds", "kind_shares", "expected"),
    [
        ("科技", {"科技": 0.4}, None, {}, 800_000),
        ("科技", {"科技": 0.4}, [ENTERPRISE], {ENTERPRISE: 1.0}, 800_000),
        # Every person could be one of the documents holding 科技: 0.4 - 0.3 of the enterprises.
        ("科技", {"科技": 0.4}, [ENTERPRISE], {ENTERPRISE: 0.7, "person": 0.3}, 200_000),
        ("科技", {"科技": 0.4}, [ENTERPRISE], {ENTERPRISE: 0.5, "person": 0.5}, 0),
        # A word matched as a prefix: at least the most frequent listed lexeme it starts.
        ("shihua", {"shihua": 0.03, "shihuang": 0.01, "shi": 0.5}, None, {}, 60_000),
        ("huaxin", {"hua": 0.34}, None, {}, 0),  # 'hua' does not start with huaxin
        ("信息技术", {"信息": 0.06, "息技": 0.06, "技术": 0.1}, None, {}, 0),  # several terms: no bound
        ("华信", {}, None, {}, 0),  # not listed: nothing known
        ("合肥 华信", {"合肥": 0.1, "华信": 0.1}, None, {}, 0),
    ],
)
def test_the_statistics_bound_the_hits_of_a_query_of_one_term(
    monkeypatch, query, frequencies, kinds, kind_shares, expected
):
    use_statistics(monkeypatch, frequencies, kinds=kind_shares)
    assert search_conditions.statistics_hits(query, kinds or ()) == pytest.approx(expected, abs=1)


@pytest.mark.parametrize("query", ["科技", "keji"])
def test_a_query_the_statistics_show_in_many_documents_is_not_counted(
    db, monkeypatch, django_assert_max_num_queries, query
):
    frequent_documents()
    write_documents_of_kind(ENTERPRISE, ["科技园"])  # a prefix hit first, for 科技
    plain = [search(query, page=page, page_size=7) for page in (1, 2, 6)]
    assert plain[0].total_estimate == 42
    use_statistics(monkeypatch, {"科技": 0.4, "keji": 0.4}, kinds={ENTERPRISE: 1.0})
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    for old, page in zip(plain, (1, 2, 6)):
        statements.clear()
        with django_assert_max_num_queries(4), connection.execute_wrapper(capture):
            new = search(query, page=page, page_size=7, kinds=[ENTERPRISE])
        # The page is read tier by tier, never counted: neither through the index nor in a walk.
        assert not any("WITH hits AS MATERIALIZED" in sql or "ctid <" in sql for sql in statements)
        assert new.total_estimate is None and new.total_display == "1000+"
        assert ids(new) == ids(old)
        assert new.has_next == old.has_next
    # Documents of another kind may hold the word: the statistics then prove nothing.
    use_statistics(monkeypatch, {"科技": 0.4, "keji": 0.4}, kinds={ENTERPRISE: 0.5, "person": 0.5})
    assert search(query, kinds=[ENTERPRISE]).total_estimate == 42


def test_a_query_of_rare_tokens_is_not_counted_in_a_walk(db, monkeypatch):
    frequent_documents()
    use_statistics(monkeypatch, {"科技": 0.95}, documents=42, ceiling=0.01)
    assert search_conditions.dense_share("华信科技") == 0.01
    assert search_conditions.dense_share("huaxin") is None  # prefixes have no known share
    monkeypatch.setattr(search_limits, "COUNT_CAP", 5)
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        search("华信科技")
    assert "WITH hits AS MATERIALIZED" in statements[0]


# --- the in-order pass reads the newest names from the date index alone --------------------------


def walk_plan(query, filters="", filter_params=()):
    loose = in_order_query(query)
    assert not search_in_order.in_order_through_index(loose)
    condition, params, walks = search_in_order.in_order_sql(loose, (), filters, list(filter_params))
    assert walks
    inner = condition.removeprefix("id = ANY(ARRAY(").removesuffix("))")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute("EXPLAIN (COSTS OFF) " + inner, params)
            return "\n".join(line for (line,) in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


def test_the_in_order_walk_reads_names_from_the_date_index_alone(transactional_db, monkeypatch):
    write_documents([f"天津{n}城东新区水博酒店管理商行" for n in range(1, 301)] + ["天津城东水博 ABC 酒店"])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_searchdocument")
    use_statistics(monkeypatch, {}, documents=1_000_000, ceiling=0.5)  # every character common
    assert "Index Only Scan using search_doc_recent_kind_idx" in walk_plan("天津水博")
    assert [result.name for result in search("天津水博").results][:2] == [
        "天津城东水博 ABC 酒店",
        "天津300城东新区水博酒店管理商行",
    ]
    # A Latin word is checked on the document only for the names the patterns kept.
    plan = walk_plan("天津水博 abc")
    assert "Index Only Scan using search_doc_recent_kind_idx" in plan and "ts_match_vq" in plan
    assert [result.name for result in search("天津水博 abc").results] == ["天津城东水博 ABC 酒店"]


def test_the_in_order_walk_of_one_kind_reads_names_from_the_date_index_alone(transactional_db, monkeypatch):
    write_documents([f"天津{n}城东新区水博酒店管理商行" for n in range(1, 301)])
    write_documents_of_kind(SearchDocument.Kind.PERSON, ["天津城东水博"])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_searchdocument")
    use_statistics(monkeypatch, {}, documents=1_000_000, ceiling=0.5)  # every character common
    # The enterprise search is always narrowed to enterprises: the kind is in the index too.
    plan = walk_plan("天津水博", " AND kind = ANY(%s)", [[ENTERPRISE]])
    assert "Index Only Scan using search_doc_recent_kind_idx" in plan
    found = search("天津水博", kinds=[ENTERPRISE]).results
    assert found[0].name == "天津300城东新区水博酒店管理商行"
    assert {result.kind for result in found} == {ENTERPRISE}


def test_a_query_with_a_few_times_the_count_cap_is_ranked_in_one_statement(
    db, monkeypatch, django_assert_max_num_queries
):
    frequent_documents()
    plain = [search("华信科技", page=page, page_size=7) for page in (1, 2, 6)]
    assert plain[0].total_estimate == 41
    monkeypatch.setattr(search_limits, "COUNT_CAP", 20)  # 41 hits: more than the cap, under 4 x it
    # The planner's statistics are whatever the last ANALYZE saw (other tests' rows included): say
    # here what they would say of this data, that the query is not one of the dense ones.
    monkeypatch.setattr(search_engine, "dense_share", lambda text: None)
    for old, page in zip(plain, (1, 2, 6)):
        with django_assert_max_num_queries(1):
            new = search("华信科技", page=page, page_size=7)
        assert ids(new) == ids(old) and new.has_next == old.has_next
        assert new.total_estimate is None and new.total_display == "20+"
    monkeypatch.setattr(search_limits, "COUNT_CAP", 10)  # 41 hits: more than 4 x the cap, the tiers
    page = search("华信科技", page=6, page_size=7)
    assert ids(page) == ids(plain[2]) and page.total_display == "10+"


def test_analyze_keeps_ten_thousand_of_the_documents_most_common_lexemes(db):
    # At the default target only lexemes in about 0.65 % of documents are listed, too few for the
    # statistics to prove "1000+" for a romanised word in 0.2 % of two million (docs/search.md).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'registry_searchdocument'::regclass AND attname = 'document'"
        )
        assert cursor.fetchone()[0] == 1000
