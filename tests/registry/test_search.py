import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from core.privacy import resident_id_hash
from registry.services import enterprise_create, enterprise_update
from registry.services.audit import SYSTEM
from search import query as search_query
from search.models import SearchDocument
from search.normalise import normalise, normalise_identifier, tokens
from search.query import MAX_PAGE, SearchQueryError, identifier_keys, search
from search.query import conditions as search_conditions
from search.query import limits as search_limits
from search.query import statistics as search_statistics
from search.services import (
    industry_facet,
    province_facet,
    search_document_delete,
    search_document_row,
    search_document_upsert,
    search_documents_write,
    status_facet,
)
from search.tokens import query_tsquery, tsvector_literal
from tests.factories import EnterpriseFactory, make_resident_id, make_uscc

ENTERPRISE = SearchDocument.Kind.ENTERPRISE
PERSON = SearchDocument.Kind.PERSON


def enterprise_fields(**overrides):
    return {
        "uscc": make_uscc(),
        "name": "合肥华信科技有限公司",
        "entity_type": "llc",
        "legal_representative": "王芳",
        "registered_capital": Decimal("5000000"),
        "established": dt.date(2018, 3, 9),
        "status": "in_operation",
        "address": "安徽省合肥市高新区创新大道1号",
        "region_id": "340100",
        **overrides,
    }


def names(page):
    return [result.name for result in page.results]


def doc(object_id, name, *, kind=ENTERPRISE, published_on=None, **kwargs):
    search_document_upsert(kind=kind, object_id=object_id, name=name, published_on=published_on, **kwargs)


# --- normalisation and tokens ----------------------------------------------------------------------


def test_normalise_folds_full_width_case_and_punctuation():
    assert normalise("ＡＢＣ１２３") == "abc123"
    assert normalise("（合肥）【华信】、科技，有限。公司·分部") == "合肥华信科技有限公司分部"
    assert normalise("  Hefei\u3000Huaxin Co., Ltd. ") == "hefeihuaxincoltd"
    assert normalise("") == ""


def test_normalise_identifier_keeps_case_numbers_and_codes_comparable():
    assert normalise_identifier("（2019）皖1122执1194号") == "2019皖1122执1194号"
    assert normalise_identifier("(2019)皖1122执1194号") == "2019皖1122执1194号"
    assert normalise_identifier("１２３４５６７８-x") == "12345678X"


def test_tokens_have_unigrams_bigrams_and_pinyin():
    found = tokens("张伟")
    assert {"张", "伟", "张伟", "zhang", "wei", "zhangwei"} <= set(found)
    company = tokens("合肥华信科技有限公司")
    assert {"合", "司", "合肥", "华信", "公司", "hefei", "huaxin", "keji", "gongsi", "he", "si"} <= set(
        company
    )
    assert len(found) == len(set(found))


def test_tokens_of_latin_names_are_words_and_their_run():
    assert {"abc", "trading", "abctrading"} <= set(tokens("ABC Trading"))
    assert {"tcl", "科技", "keji"} <= set(tokens("TCL科技"))


def test_pinyin_follows_phrases():
    assert {"chongqing", "yinhang"} <= set(tokens("重庆银行"))


def test_literals_quote_every_lexeme(db):
    assert tsvector_literal(["it's", "a\\b"]) == "'it''s' 'a\\\\b'"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(%s::tsvector)", [tsvector_literal(["it's", "a\\b", "x y"])])
        assert sorted(cursor.fetchone()[0]) == sorted(["it's", "a\\b", "x y"])


@pytest.mark.parametrize(
    "query",
    ["'", "''", "\\", "a'b", "张'伟", "&|!():*", "合肥 & | ! ( ) : * 华信", "a:*", "'合肥'", "x\\'y", "<->"],
)
def test_query_syntax_characters_never_raise(db, query):
    doc(1, "合肥华信科技有限公司")
    with contextlib.suppress(SearchQueryError):  # too short after normalisation: a clean refusal
        search(query)


# --- enterprises through the services ----------------------------------------------------------


def test_enterprise_created_through_the_service_is_findable(db):
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields())
    for query in (
        "合肥华信科技有限公司",
        "华信",
        "信科",
        "huaxin",
        "hefeihuaxin",
        "HUA XIN",
        "合肥ＨＵＡＸＩＮ",
    ):
        page = search(query)
        assert [r.object_id for r in page.results] == [enterprise.pk], query
    result = search("华信").results[0]
    assert result.kind == ENTERPRISE
    assert result.province == "340000"
    assert result.published_on == dt.date(2018, 3, 9)
    assert result.extra["uscc"] == enterprise.uscc


def test_enterprise_is_found_by_uscc_and_organisation_code(db):
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields())
    organisation_code = enterprise.uscc[8:17]
    for query in (
        enterprise.uscc,
        enterprise.uscc.lower(),
        organisation_code,
        f"{organisation_code[:8]}-{organisation_code[8]}",
    ):
        page = search(query)
        assert [(r.object_id, r.match) for r in page.results] == [(enterprise.pk, "identifier")], query
        assert page.total_estimate == 1


def test_rename_reindexes_and_former_names_stay_findable(db):
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields())
    enterprise_update(enterprise=enterprise, actor=SYSTEM, via="command", name="安徽明远智能装备有限公司")
    assert names(search("明远")) == ["安徽明远智能装备有限公司"]
    assert names(search("华信")) == ["安徽明远智能装备有限公司"]  # by its former name
    assert names(search("mingyuan")) == ["安徽明远智能装备有限公司"]
    assert SearchDocument.objects.filter(kind=ENTERPRISE, object_id=enterprise.pk).count() == 1


def test_document_is_written_in_the_enterprise_transaction(db):
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields())
    document = SearchDocument.objects.get(kind=ENTERPRISE, object_id=enterprise.pk)
    assert sorted(document.identifiers) == sorted([enterprise.uscc, enterprise.uscc[8:17]])
    assert document.name_normalised == "合肥华信科技有限公司"


# --- ranking, paging and refusals ------------------------------------------------------------


def test_exact_name_before_prefix_before_other_matches_by_recency(db):
    doc(1, "华信科技有限公司其他", published_on=dt.date(2024, 1, 1))  # prefix
    doc(2, "合肥华信科技有限公司", published_on=dt.date(2020, 1, 1))  # other, older
    doc(3, "华信科技有限公司", published_on=dt.date(2010, 1, 1))  # exact, oldest
    doc(4, "安徽华信科技有限公司", published_on=dt.date(2023, 1, 1))  # other, newer
    doc(5, "华信科技有限公司分公司", published_on=dt.date(2025, 1, 1))  # prefix
    doc(6, "上海华信科技有限公司", published_on=None)  # other, undated: last
    doc(7, "华信软件有限公司", published_on=dt.date(2025, 1, 1))  # no match
    page = search("华信科技有限公司")
    assert [r.object_id for r in page.results] == [3, 1, 5, 4, 2, 6]
    assert [r.match for r in page.results] == ["exact", "prefix", "prefix", "match", "match", "match"]
    assert page.total_estimate == 6
    assert not page.has_next


def test_pages_and_has_next(db):
    for number in range(1, 8):
        doc(number, f"华信{number}号有限公司", published_on=dt.date(2020, 1, number))
    first = search("有限公司", page_size=3)
    second = search("有限公司", page=2, page_size=3)
    third = search("有限公司", page=3, page_size=3)
    assert [r.object_id for r in first.results] == [7, 6, 5]
    assert [r.object_id for r in second.results] == [4, 3, 2]
    assert [r.object_id for r in third.results] == [1]
    assert first.has_next and second.has_next and not third.has_next
    assert first.total_estimate == 7
    assert search("有限公司", page=4, page_size=3).results == []


def test_one_character_and_empty_queries_are_refused(db):
    for query in ("张", "", "  ", "（）", "Ａ", "-"):
        with pytest.raises(SearchQueryError, match="at least 2"):
            search(query)


def test_pages_beyond_the_maximum_are_refused(db):
    with pytest.raises(SearchQueryError, match=f"first {MAX_PAGE} pages"):
        search("华信", page=MAX_PAGE + 1)
    with pytest.raises(ValueError):  # a SearchQueryError is also a ValueError
        search("华信", page_size=0)
    with pytest.raises(SearchQueryError, match="Unknown kind"):
        search("华信", kinds=["martian"])


def test_kinds_and_province_filters(db):
    doc(1, "张伟", kind=PERSON, province="340000")
    doc(2, "张伟", kind=PERSON, province="110000")
    doc(3, "张伟商贸有限公司", province="340000")
    assert {r.object_id for r in search("张伟").results} == {1, 2, 3}
    assert {r.object_id for r in search("张伟", kinds=[PERSON]).results} == {1, 2}
    assert {r.object_id for r in search("张伟", province="340100").results} == {1, 3}
    assert [r.object_id for r in search("zhangwei", kinds=[ENTERPRISE]).results] == [3]


def test_resident_id_number_finds_its_hash_and_case_numbers_match(db):
    number = make_resident_id(region="340100", birth="19700101")
    doc(
        1,
        "张伟",
        kind=SearchDocument.Kind.LIST_ENTRY,
        identifiers=[resident_id_hash(number), "（2019）皖1122执1194号"],
    )
    doc(2, "张伟", kind=SearchDocument.Kind.LIST_ENTRY)
    assert [r.object_id for r in search(number).results] == [1]
    assert [r.object_id for r in search("(2019)皖1122执1194号").results] == [1]
    assert identifier_keys("张伟") == []
    document = SearchDocument.objects.get(object_id=1)
    assert number not in str(document.identifiers)  # only the keyed hash is stored


def test_unknown_identifier_falls_back_to_name_search(db):
    doc(1, "合肥123456789012科技有限公司")
    assert [r.object_id for r in search("123456789012").results] == [1]


def test_upsert_is_idempotent_and_delete_removes(db):
    doc(1, "合肥华信科技有限公司")
    doc(1, "合肥华信科技有限公司")
    assert SearchDocument.objects.count() == 1
    assert search_document_delete(kind=ENTERPRISE, object_id=1)
    assert not search_document_delete(kind=ENTERPRISE, object_id=1)
    assert search("华信").results == []


def test_query_count_is_bounded(db, django_assert_max_num_queries):
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields())
    search_statistics.common_lexemes()  # planner statistics: read at most once every 10 minutes
    with django_assert_max_num_queries(2):
        search("华信")  # fewer contiguous hits than a page: one more statement for the in-order ones
    with django_assert_max_num_queries(1):
        search("huaxin")  # nothing to read in order
    with django_assert_max_num_queries(1):
        search(enterprise.uscc)
    with django_assert_max_num_queries(2):
        search("9" * 15)  # looks like a registration number, then searched as text


def many_documents(count, *, name="合肥{n}华信科技有限公司"):
    search_documents_write(
        [
            search_document_row(
                kind=ENTERPRISE,
                object_id=n,
                name=name.format(n=n),
                published_on=dt.date(2000, 1, 1) + dt.timedelta(days=n % 9000),
            )
            for n in range(1, count + 1)
        ]
    )


def test_more_hits_than_the_count_cap_runs_tiers_in_the_same_order(
    db, monkeypatch, django_assert_max_num_queries
):
    many_documents(40)
    doc(1000, "华信科技", published_on=dt.date(1990, 1, 1))
    doc(1001, "华信科技集团", published_on=dt.date(1991, 1, 1))
    doc(1002, "华信科技集团", published_on=dt.date(1992, 1, 1))
    search_statistics.common_lexemes()
    bounded = [search("华信科技", page=page, page_size=7) for page in (1, 2, 3, 4, 5, 6, 7)]
    assert bounded[0].total_estimate == 43
    monkeypatch.setattr(search_limits, "COUNT_CAP", 5)
    tiered = []
    for page in (1, 2, 3, 4, 5, 6, 7):
        with django_assert_max_num_queries(4):
            tiered.append(search("华信科技", page=page, page_size=7))
    for old, new in zip(bounded, tiered):
        assert [r.object_id for r in new.results] == [r.object_id for r in old.results]
        assert [r.match for r in new.results] == [r.match for r in old.results]
        assert new.has_next == old.has_next
        assert new.total_estimate is None
        assert new.total_display == "5+"
    assert [r.object_id for r in tiered[0].results[:3]] == [1000, 1002, 1001]
    monkeypatch.setattr(search_limits, "WALK_ROWS", 4)  # the walk comes up short: fall back
    for page, old in enumerate(bounded, start=1):
        with django_assert_max_num_queries(4):
            new = search("华信科技", page=page, page_size=7)
        assert [r.object_id for r in new.results] == [r.object_id for r in old.results]


def test_tiered_search_runs_at_most_four_queries(db, monkeypatch, django_assert_max_num_queries):
    many_documents(30)
    search_statistics.common_lexemes()
    monkeypatch.setattr(search_limits, "COUNT_CAP", 5)
    with django_assert_max_num_queries(4):
        page = search("华信科技", page=2, page_size=10)
    assert len(page.results) == 10 and page.has_next


def test_common_tokens_only_check_rows_found_by_rare_ones(db, monkeypatch, django_assert_max_num_queries):
    many_documents(12)
    doc(100, "华信科技", published_on=dt.date(1990, 1, 1))
    doc(101, "安徽华信有限公司")
    expected = [r.object_id for r in search("华信科技有限公司").results]
    assert search_conditions.match_sql("华信科技有限公司")[0] == "document @@ %s::tsquery"
    monkeypatch.setattr(
        search_statistics, "common_lexemes", lambda: frozenset({"有限", "限公", "公司", "科技"})
    )
    sql, params = search_conditions.match_sql("华信科技有限公司")
    assert "ts_match_vq" in sql
    assert params[0] == "'华信' & '信科' & '技有'"
    assert [r.object_id for r in search("华信科技有限公司").results] == expected
    assert search_conditions.match_sql("有限公司")[1] == [
        "'有限' & '限公' & '公司'"
    ]  # nothing rare: keep all
    monkeypatch.setattr(search_limits, "COUNT_CAP", 3)
    with django_assert_max_num_queries(4):
        assert [r.object_id for r in search("华信科技有限公司").results] == expected


def test_common_lexemes_come_from_planner_statistics(db):
    many_documents(50)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_searchdocument")
    search_statistics._statistics_cache = (0.0, "", search_query.IndexStatistics(frozenset(), 0))
    try:
        statistics = search_statistics.index_statistics()
        assert {"有限", "公司", "华信"} <= statistics.common
        assert statistics.documents == 50
        assert statistics.kinds == {"enterprise": 1.0}  # the share of each kind of document
    finally:
        search_statistics._statistics_cache = (0.0, "", search_query.IndexStatistics(frozenset(), 0))


# --- bulk rebuild ------------------------------------------------------------------------------


def test_rebuild_search_index_indexes_factory_enterprises_and_is_idempotent(db):
    first = EnterpriseFactory(name="合肥明远智能装备有限公司", former_names=["合肥明远机械厂"])
    second = EnterpriseFactory(name="芜湖长江物流有限公司", region_id="340200")
    EnterpriseFactory.create_batch(5)
    assert SearchDocument.objects.count() == 0  # factories bypass the services
    doc(999_999, "已注销企业")  # an enterprise that no longer exists
    call_command("rebuild_search_index", "--batch-size", "3", verbosity=0)
    assert SearchDocument.objects.filter(kind=ENTERPRISE).count() == 7
    assert [r.object_id for r in search("明远").results] == [first.pk]
    assert [r.object_id for r in search("机械厂").results] == [first.pk]  # former name
    assert [r.object_id for r in search(second.uscc).results] == [second.pk]
    assert search("wuhuchangjiang").results[0].province == "340000"
    before = list(SearchDocument.objects.order_by("id").values_list("id", "name", "document", "identifiers"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM registry_searchdocument ORDER BY id")
        versions = cursor.fetchall()
    call_command("rebuild_search_index", verbosity=0)
    after = list(SearchDocument.objects.order_by("id").values_list("id", "name", "document", "identifiers"))
    assert after == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM registry_searchdocument ORDER BY id")
        assert cursor.fetchall() == versions  # unchanged documents are not rewritten


def test_query_tsquery_is_deterministic_and_safe():
    assert query_tsquery("合肥华信") == "'合肥' & '肥华' & '华信'"
    assert query_tsquery("zhangwei") == "'zhangwei':*"
    assert query_tsquery("'&|") == ""


def test_rebuild_mixes_new_changed_and_unchanged_documents(db):
    kept, renamed, missing = EnterpriseFactory.create_batch(3)
    call_command("rebuild_search_index", verbosity=0)
    SearchDocument.objects.filter(object_id=missing.pk).delete()
    type(renamed).objects.filter(pk=renamed.pk).update(name="蚌埠淮河新材料有限公司")
    call_command("rebuild_search_index", "--batch-size", "2", verbosity=0)
    assert SearchDocument.objects.count() == 3
    assert [r.object_id for r in search("淮河新材").results] == [renamed.pk]
    assert [r.object_id for r in search(missing.uscc).results] == [missing.pk]
    assert [r.object_id for r in search(kept.uscc).results] == [kept.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rebuild_outside_a_transaction_writes_from_a_second_thread():
    enterprises = EnterpriseFactory.create_batch(7)
    call_command("rebuild_search_index", "--batch-size", "2", verbosity=0)
    assert SearchDocument.objects.count() == 7
    call_command("rebuild_search_index", "--batch-size", "3", verbosity=0)
    assert SearchDocument.objects.count() == 7
    assert [r.object_id for r in search(enterprises[3].uscc).results] == [enterprises[3].pk]


def test_deep_pages_of_common_queries_walk_further(db, monkeypatch, django_assert_max_num_queries):
    many_documents(60)
    search_statistics.common_lexemes()
    bounded = [search("华信科技", page=page, page_size=7) for page in (1, 4, 8, 9)]
    monkeypatch.setattr(search_limits, "COUNT_CAP", 5)
    monkeypatch.setattr(search_limits, "WALK_ROWS", 12)
    statistics = search_query.IndexStatistics(frozenset(), 1_000_000)
    monkeypatch.setattr(search_statistics, "index_statistics", lambda: statistics)
    for old, page in zip(bounded, (1, 4, 8, 9)):
        # 5 only at the very end of the hits, where even the longer walk comes up short
        with django_assert_max_num_queries(4 if page < 9 else 5):
            new = search("华信科技", page=page, page_size=7)
        assert [r.object_id for r in new.results] == [r.object_id for r in old.results]
        assert new.has_next == old.has_next


# --- filters: facets and establishment dates ---------------------------------------------------------


def test_enterprise_documents_carry_status_and_industry_facets(db):
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields(industry="I"))
    document = SearchDocument.objects.get(kind=ENTERPRISE, object_id=enterprise.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(document) FROM registry_searchdocument WHERE id = %s", [document.pk]
        )
        lexemes = set(cursor.fetchone()[0])
    assert {status_facet("in_operation"), industry_facet("I"), province_facet("340000")} <= lexemes
    assert status_facet("revoked") == "~status=revoked"
    enterprise_update(enterprise=enterprise, actor=SYSTEM, via="command", status="revoked")
    assert names(search("华信", facets=[status_facet("revoked")])) == ["合肥华信科技有限公司"]
    assert names(search("华信", facets=[status_facet("in_operation")])) == []


def test_facets_filter_every_path_and_no_word_reaches_them(db):
    doc(
        1,
        "华信科技有限公司",
        facets=[status_facet("revoked"), industry_facet("I")],
        identifiers=[make_uscc()],
    )
    doc(2, "华信科技有限公司合肥分公司", facets=[status_facet("in_operation"), industry_facet("I")])
    doc(3, "合肥华信贸易有限公司", facets=[status_facet("revoked"), industry_facet("F")])
    revoked = [status_facet("revoked")]
    assert sorted(names(search("华信", facets=revoked))) == sorted(
        ["合肥华信贸易有限公司", "华信科技有限公司"]
    )
    assert names(search("华信科技", facets=revoked)) == ["华信科技有限公司"]  # exact and prefix tiers
    assert names(search("华信", facets=[*revoked, industry_facet("F")])) == ["合肥华信贸易有限公司"]
    uscc = SearchDocument.objects.get(object_id=1).identifiers[0]
    assert names(search(uscc, facets=revoked)) == ["华信科技有限公司"]
    assert names(search(uscc, facets=[industry_facet("F")])) == []
    # Romanised prefixes and the words themselves never match a facet.
    for word in ("status", "stat", "industry", "ind", "revoked", "in"):
        assert search(word).results == [], word


def test_filters_also_apply_beyond_the_count_cap(db, monkeypatch):
    monkeypatch.setattr(search_limits, "COUNT_CAP", 3)
    for n in range(1, 9):
        facet = status_facet("revoked" if n % 2 else "in_operation")
        doc(n, f"合肥{n}华信科技有限公司", facets=[facet], published_on=dt.date(2000 + n, 1, 1))
    page = search("华信", facets=[status_facet("revoked")], page_size=2)
    assert page.total_estimate is None
    assert [r.object_id for r in page.results] == [7, 5]
    page = search(
        "华信", published_from=dt.date(2003, 1, 1), published_to=dt.date(2006, 12, 31), page_size=10
    )
    assert [r.object_id for r in page.results] == [6, 5, 4, 3]


def test_selective_facets_drive_the_index_with_the_name(db, monkeypatch):
    statistics = search_query.IndexStatistics(
        frozenset({"科技", "~status=in_operation", "~industry=I"}),
        100,
        {"科技": 0.1, "~status=in_operation": 0.85, "~industry=I": 0.06},
    )
    monkeypatch.setattr(search_statistics, "index_statistics", lambda: statistics)
    monkeypatch.setattr(search_statistics, "common_lexemes", lambda: statistics.common)
    # A selective facet and a fairly common word: the index intersects both.
    assert search_conditions.match_sql("科技", [industry_facet("I")]) == (
        "document @@ %s::tsquery",
        ["'科技' & '~industry=I'"],
    )
    # A facet in most documents is only checked on the rows the name found.
    sql, params = search_conditions.match_sql("华信", [status_facet("in_operation")])
    assert "ts_match_vq" in sql and params == ["'华信'", "'华信' & '~status=in_operation'"]


def test_establishment_years_filter_by_published_on(db):
    doc(1, "华信一号有限公司", published_on=dt.date(2009, 12, 31))
    doc(2, "华信二号有限公司", published_on=dt.date(2010, 1, 1))
    doc(3, "华信三号有限公司", published_on=dt.date(2015, 12, 31))
    doc(4, "华信四号有限公司", published_on=dt.date(2016, 1, 1))
    doc(5, "华信五号有限公司")  # no date: left out by a date filter
    found = search("华信", published_from=dt.date(2010, 1, 1), published_to=dt.date(2015, 12, 31))
    assert [r.object_id for r in found.results] == [3, 2]
    assert [r.object_id for r in search("华信", published_from=dt.date(2016, 1, 1)).results] == [4]
    with pytest.raises(SearchQueryError):
        search("华信", published_from=dt.date(2016, 1, 1), published_to=dt.date(2015, 1, 1))
