"""Timepoints follow commit order across connections, and the long poll wakes on a commit."""

import random
import threading
import time

import pytest
from django.db import connections, transaction
from django.test import Client

from opendata.models import FeedEvent
from opendata.selectors import feed_page, feed_timepoint_now
from registry.models import Enterprise
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_thread(target):
    """Run ``target`` on its own database connection, closed when it ends."""

    def run():
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_writer_waits_until_the_first_commits_so_its_timepoint_is_higher():
    first_holds = threading.Event()
    first_may_commit = threading.Event()
    second_done = threading.Event()
    timepoints = {}

    def first():
        with transaction.atomic():
            EnterpriseFactory(name="先开始后提交")
            first_holds.set()
            first_may_commit.wait(10)
        timepoints["first"] = FeedEvent.objects.get(row__name="先开始后提交").timepoint

    def second():
        first_holds.wait(10)
        with transaction.atomic():
            EnterpriseFactory(name="后开始")
        second_done.set()
        timepoints["second"] = FeedEvent.objects.get(row__name="后开始").timepoint

    threads = [in_thread(first), in_thread(second)]
    first_holds.wait(10)
    # The second transaction cannot draw a timepoint while the first holds one uncommitted.
    assert not second_done.wait(0.5)
    first_may_commit.set()
    for thread in threads:
        thread.join(20)
    assert second_done.is_set()
    assert timepoints["first"] < timepoints["second"]


def test_a_reader_following_the_cursor_misses_nothing_while_writers_commit_at_random():
    start = feed_timepoint_now()
    stop = threading.Event()
    seen: list[int] = []

    def writer(seed: int):
        rng = random.Random(seed)
        for _ in range(6):
            with transaction.atomic():
                enterprise = EnterpriseFactory()
                time.sleep(rng.uniform(0, 0.03))
                Enterprise.objects.filter(pk=enterprise.pk).update(name=enterprise.name + "（变更）")
                time.sleep(rng.uniform(0, 0.03))

    def reader():
        after = start
        while True:
            finished = stop.is_set()
            page = feed_page(after=after, limit=50)
            seen.extend(event.timepoint for event in page.events)
            after = page.next
            if finished and not page.has_more:
                return
            time.sleep(0.005)

    reading = in_thread(reader)
    writers = [in_thread(lambda seed=seed: writer(seed)) for seed in range(3)]
    for thread in writers:
        thread.join(60)
    stop.set()
    reading.join(60)

    committed = list(FeedEvent.objects.filter(timepoint__gt=start).values_list("timepoint", flat=True))
    assert len(committed) == 3 * 6 * 2
    assert seen == committed


def test_the_long_poll_returns_as_soon_as_an_event_is_committed():
    after = feed_timepoint_now()

    def write_later():
        time.sleep(0.5)
        EnterpriseFactory(name="长轮询")

    writing = in_thread(write_later)
    started = time.monotonic()
    body = Client().get("/api/v1/changes/", {"after": after, "wait": 20}).json()
    elapsed = time.monotonic() - started
    writing.join(10)

    assert [event["data"]["name"] for event in body["events"]] == ["长轮询"]
    assert 0.4 < elapsed < 10


def test_the_long_poll_gives_up_after_its_wait():
    after = feed_timepoint_now()
    started = time.monotonic()
    body = Client().get("/api/v1/changes/", {"after": after, "wait": 1}).json()
    assert body == {"events": [], "next": after, "has_more": False}
    assert 0.9 < time.monotonic() - started < 5
