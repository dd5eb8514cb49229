"""Runs of characters many names hold: counted on a sample, stored, and used to prove "1000+"
for a query of one run without reading its hits."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.services import jobs
from search.frequent_runs import MAX_RUN, MIN_RUN, chinese_runs, frequent_runs
from search.models import FrequentRun, SearchDocument
from search.query import IndexStatistics, search
from search.query import conditions as search_conditions
from search.query import limits as search_limits
from search.query import statistics as search_statistics
from search.services import (
    _FREQUENT_RUNS_LOCK,
    search_document_row,
    search_documents_write,
    search_frequent_runs_refresh,
)

ENTERPRISE = SearchDocument.Kind.ENTERPRISE
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def write_documents(names, start=1):
    search_documents_write(
        [
            search_document_row(
                kind=ENTERPRISE,
                object_id=n,
                name=name,
                published_on=dt.date(2000, 1, 1) + dt.timedelta(days=n),
            )
            for n, name in enumerate(names, start=start)
        ]
    )


def brute_force(names, minimum):
    holders = {}
    for name in names:
        held = {
            run[start : start + length]
            for run in chinese_runs(name)
            for length in range(MIN_RUN, MAX_RUN + 1)
            for start in range(len(run) - length + 1)
        }
        for part in held:
            holders[part] = holders.get(part, 0) + 1
    return {part: count for part, count in holders.items() if count >= minimum}


# --- counting ----------------------------------------------------------------------------------


def test_runs_held_by_enough_names_are_counted_once_per_name():
    names = ["合肥市华信科技有限公司", "北京市华信科技", "市华信市华信", "abc市华信", "市华"]
    found = frequent_runs(names, 3)
    # 市华信 twice in one name counts once; "abc" is no Chinese run; 市华 is two characters only.
    assert found["市华信"] == 4
    assert "华信科技" not in found  # two names only
    assert "市华" not in found
    assert frequent_runs(names, 2)["华信科技"] == 2
    assert frequent_runs(names, 5) == {}


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(st.text(alphabet="市华信科技有限", min_size=0, max_size=9), max_size=25),
    minimum=st.integers(min_value=1, max_value=6),
)
def test_counting_level_by_level_finds_what_counting_everything_finds(names, minimum):
    assert frequent_runs(names, minimum) == brute_force(names, minimum)


def test_a_minimum_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        frequent_runs(["市华信"], 0)


# --- what is stored ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "share", "field"),
    [("市华", 0.5, "run"), ("市华信", 0.0, "share"), ("市华信", 1.5, "share"), ("市华信", -0.1, "share")],
)
def test_a_run_too_short_or_a_share_out_of_range_is_refused(db, run, share, field):
    row = FrequentRun(run=run, share=share, counted_at=NOW)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert refused.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        FrequentRun.objects.bulk_create([row])


@pytest.fixture
def small_cap(monkeypatch):
    # "1000+" becomes "2+": a run must be held by STATISTICS_HITS_MARGIN x 3 = 12 documents.
    monkeypatch.setattr(search_limits, "COUNT_CAP", 2)


def test_the_refresh_stores_the_runs_that_prove_the_cap_with_their_share(db, small_cap):
    write_documents([f"合肥{n}市华信科技有限公司" for n in range(14)] + [f"上海{n}贸易" for n in range(6)])
    with time_machine.travel(NOW, tick=False):
        assert search_frequent_runs_refresh() == len(FrequentRun.objects.all())
    stored = {row.run: row for row in FrequentRun.objects.all()}
    assert stored["市华信科技有限公司"].share == pytest.approx(14 / 20)
    assert stored["市华信"].counted_at == NOW
    assert "上海" not in stored and not any("贸易" in run for run in stored)  # 6 names: too few
    # Recounted from scratch: runs no longer held by enough names are gone.
    SearchDocument.objects.filter(name__contains="市华信").delete()
    search_frequent_runs_refresh()
    assert not FrequentRun.objects.exists()


def test_with_fewer_documents_than_the_proof_needs_nothing_is_stored(db, django_assert_max_num_queries):
    write_documents(["合肥市华信科技有限公司"] * 3)
    FrequentRun.objects.create(run="市华信", share=0.5, counted_at=NOW)
    with django_assert_max_num_queries(7):
        assert search_frequent_runs_refresh() == 0
    assert not FrequentRun.objects.exists()


def test_a_stale_row_count_of_the_planner_does_not_hide_the_runs(db, small_cap):
    write_documents(["上海贸易"] * 3)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")  # the planner counts 3 rows
    write_documents([f"合肥{n}市华信科技" for n in range(14)], start=10)
    assert search_frequent_runs_refresh() > 0
    assert FrequentRun.objects.get(run="市华信").share == pytest.approx(14 / 17)


def test_the_periodic_refresh_recounts_only_runs_a_day_old(db, small_cap):
    write_documents([f"合肥{n}市华信科技" for n in range(14)])
    task = jobs._periodic["search.frequent_runs"]
    assert task.every == dt.timedelta(hours=1)
    with time_machine.travel(NOW, tick=False):
        task.run()
        assert FrequentRun.objects.filter(run="市华信", counted_at=NOW).exists()
    with time_machine.travel(NOW + dt.timedelta(hours=19), tick=False):
        assert task.run() is None  # fresh: not recounted
    with time_machine.travel(NOW + dt.timedelta(hours=21), tick=False):
        assert task.run() > 0
        assert FrequentRun.objects.get(run="市华信").counted_at == timezone.now()


def test_the_periodic_refresh_skips_while_another_one_runs(transactional_db, small_cap):
    write_documents([f"合肥{n}市华信科技" for n in range(14)])
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_FREQUENT_RUNS_LOCK])
            assert search_frequent_runs_refresh(if_older_than=dt.timedelta(hours=20)) is None
            assert not FrequentRun.objects.exists()
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_FREQUENT_RUNS_LOCK])
        assert search_frequent_runs_refresh(if_older_than=dt.timedelta(hours=20)) > 0
    finally:
        other.close()


# --- what they prove -----------------------------------------------------------------------------


def use_runs(monkeypatch, runs, *, frequencies=None, documents=2_000_000, kinds=None):
    statistics = IndexStatistics(frozenset(), documents, frequencies or {}, 0.0063, 0, kinds or {}, runs)
    monkeypatch.setattr(search_statistics, "index_statistics", lambda: statistics)
    monkeypatch.setattr(search_statistics, "common_lexemes", lambda: statistics.common)


@pytest.mark.parametrize(
    ("query", "kinds", "kind_shares", "expected"),
    [
        ("市华信", None, {}, 16_000),
        ("市 华信", None, {}, 0),  # two terms: no run holds both
        ("市华信 a", None, {}, 0),  # a Latin word: a name pattern cannot say it
        ("市华信科", None, {}, 0),  # not counted: a longer run proves nothing from a shorter one
        ("华信", None, {}, 0),  # a pair: the planner's statistics judge it, and list nothing here
        ("市华信", [ENTERPRISE], {ENTERPRISE: 0.995, "person": 0.005}, 6_000),
    ],
)
def test_a_counted_run_bounds_the_hits_of_a_query_of_that_run(
    monkeypatch, query, kinds, kind_shares, expected
):
    use_runs(monkeypatch, {"市华信": 0.008}, kinds=kind_shares)
    assert search_conditions.statistics_hits(query, kinds or ()) == pytest.approx(expected, abs=1)


def test_a_query_of_a_counted_run_is_not_counted_and_pages_as_before(
    db, monkeypatch, django_assert_max_num_queries
):
    write_documents([f"合肥{n}市华信科技有限公司" for n in range(30)] + ["市华信", "市华信商贸"], start=1)
    plain = [search("市华信", page=page, page_size=7) for page in (1, 2, 5)]
    assert plain[0].total_estimate == 32
    # The statistics say 2 million documents: 市华信 is held by 1.8 million of them.
    use_runs(monkeypatch, {"市华信": 0.9}, frequencies={"市华": 0.9, "华信": 0.9})
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    for old, page in zip(plain, (1, 2, 5)):
        statements.clear()
        with django_assert_max_num_queries(4), connection.execute_wrapper(capture):
            new = search("市华信", page=page, page_size=7)
        assert not any("WITH hits AS MATERIALIZED" in sql or "ctid <" in sql for sql in statements)
        assert new.total_display == "1000+"
        assert [(r.object_id, r.match) for r in new.results] == [(r.object_id, r.match) for r in old.results]
        assert new.has_next == old.has_next
    # Without the counted run, the same query reads its hits and counts them.
    use_runs(monkeypatch, {}, frequencies={"市华": 0.9, "华信": 0.9})
    statements.clear()
    with connection.execute_wrapper(capture):
        assert search("市华信").total_estimate == 32
    assert any("WITH hits AS MATERIALIZED" in sql for sql in statements)


def test_the_statistics_read_the_stored_runs(db, monkeypatch):
    monkeypatch.setattr(search_statistics, "_statistics_cache", (0.0, "", IndexStatistics(frozenset(), 0)))
    FrequentRun.objects.bulk_create(
        [
            FrequentRun(run=run, share=share, counted_at=NOW)
            for run, share in (("市华信", 0.25), ("商贸有限", 0.5))
        ]
    )
    assert search_statistics.index_statistics().runs == {"市华信": 0.25, "商贸有限": 0.5}


def test_a_rebuild_of_the_index_counts_the_runs(db, small_cap):
    write_documents([f"合肥{n}市华信科技" for n in range(14)])
    from search.services import search_index_after_bulk_write

    search_index_after_bulk_write()
    assert FrequentRun.objects.filter(run="市华信").exists()


def test_runs_are_counted_from_three_characters_up_to_the_longest_stored():
    names = ["甲乙丙丁戊己庚辛壬癸" * 3] * 3  # a run of 30 characters, longer than a stored run
    lengths = {len(run) for run in frequent_runs(names, 2)}
    assert lengths == set(range(MIN_RUN, MAX_RUN + 1))
