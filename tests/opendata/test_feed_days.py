"""What a day's passing changes in the feed: rows made public or not public by their dates alone."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from opendata.models import FeedDay, FeedEvent
from opendata.selectors import feed_timepoint_now
from opendata.services import feed_days_record
from registry.models import AuditEntry
from registry.services.jobs import _periodic
from tests import factories
from tests.opendata.helpers import build_sample
from tests.opendata.test_feed_replay import live_projection, replay

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)


def test_a_snapshot_plus_the_feed_equals_the_live_data_the_next_day(client):
    with time_machine.travel(MONDAY, tick=False):
        build_sample()  # a penalty published through today, a list entry starting tomorrow
        feed_days_record()  # Monday is recorded: nothing before it to compare
        snapshot, timepoint = live_projection(), feed_timepoint_now()
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        live = live_projection()
        assert live != snapshot  # the dates alone changed what is public
        stale, _ = replay(client, snapshot, timepoint)
        assert stale == snapshot  # no write, no event: the copy kept Monday's records
        day = feed_days_record()
        copy, ops = replay(client, snapshot, timepoint)
    assert copy == live
    assert sorted(ops) == ["created", "withdrawn"]  # the entry that started, the penalty that ended
    assert day.day == dt.date(2026, 6, 2) and day.events == 2
    assert AuditEntry.objects.filter(content_type__model="feedday", object_pk=str(day.pk)).exists()


def test_a_day_is_recorded_once_and_a_gap_is_judged_from_the_last_day_recorded(client):
    with time_machine.travel(MONDAY, tick=False):
        company = factories.EnterpriseFactory()
        assert feed_days_record().events == 0
        assert feed_days_record() is None  # the same day again: nothing
        tuesday = factories.PenaltyFactory(enterprise=company, publication_ends_on=dt.date(2026, 6, 2))
        wednesday = factories.PenaltyFactory(enterprise=company, publication_ends_on=dt.date(2026, 6, 3))
        friday = factories.PenaltyFactory(enterprise=company, publication_ends_on=dt.date(2026, 6, 5))
        after = feed_timepoint_now()
    # No run on Tuesday or Wednesday: Thursday's run compares Thursday with Monday.
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        day = feed_days_record()
        events = client.get("/api/v1/changes/", {"after": after, "dataset": "penalties"}).json()["events"]
    assert day.events == 2
    assert set(FeedEvent.objects.exclude(previous_day=None).values_list("previous_day", flat=True)) == {
        dt.date(2026, 6, 1)
    }
    assert sorted((event["op"], event["id"]) for event in events) == sorted(
        [("withdrawn", str(tuesday.pk)), ("withdrawn", str(wednesday.pk))]
    )
    assert str(friday.pk) not in {event["id"] for event in events}


def test_only_a_change_is_judged_on_an_earlier_day():
    event = FeedEvent(
        timepoint=1,
        published_at=MONDAY,
        op="created",
        dataset="penalties",
        key="1",
        row={},
        previous_day=dt.date(2026, 5, 31),
    )
    with pytest.raises(Exception, match="Only a change is judged on an earlier day"):
        event.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedEvent.objects.bulk_create([event])
    assert not FeedDay.objects.exists()


def test_the_workers_hourly_task_records_the_day():
    with time_machine.travel(MONDAY, tick=False):
        _periodic["opendata.feed_days"].run()
    assert list(FeedDay.objects.values_list("day", flat=True)) == [MONDAY.date()]
