"""What a recorded change publishes, decided by the dataset's rules."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from opendata.feed import events as feed_events
from opendata.models import FeedEvent


@dataclass(frozen=True)
class ToyDataset:
    """Public while ``public`` is true, ended once ``ended_on`` is set, keyed by ``code``."""

    name: str = "toys"

    def key(self, row):
        return row["code"]

    def is_public(self, row, *, today=None):
        return row["public"]

    def project(self, row, *, today=None):
        return (
            {"code": row["code"], "name": row["name"], "ended_on": row["ended_on"]} if row["public"] else None
        )

    def ended(self, row):
        return row["ended_on"] is not None


def row(*, public=True, name="甲", code="A1", ended_on=None, internal="x"):
    return {"code": code, "name": name, "public": public, "ended_on": ended_on, "internal": internal}


def recorded(op, new, old=None):
    return FeedEvent(
        timepoint=7,
        published_at=timezone.now(),
        op=op,
        dataset="toys",
        key="1",
        row=new,
        previous_row=old,
    )


@pytest.fixture
def toys(monkeypatch):
    from opendata import datasets

    monkeypatch.setitem(datasets.DATASETS, "toys", ToyDataset())


@pytest.mark.parametrize(
    ("event", "published"),
    [
        (recorded("created", row()), [("created", "A1", True)]),
        (recorded("created", row(public=False)), []),
        (recorded("withdrawn", row()), [("withdrawn", "A1", False)]),
        (recorded("withdrawn", row(public=False)), []),
        (recorded("changed", row(name="乙"), row()), [("changed", "A1", True)]),
        (recorded("changed", row(internal="y"), row()), []),
        (recorded("changed", row(public=False), row()), [("withdrawn", "A1", False)]),
        (recorded("changed", row(), row(public=False)), [("created", "A1", True)]),
        (recorded("changed", row(public=False, name="乙"), row(public=False)), []),
        (recorded("changed", row(ended_on="2026-01-01"), row()), [("ended", "A1", True)]),
        (
            recorded("changed", row(ended_on="2026-01-01", name="乙"), row(ended_on="2026-01-01")),
            [("changed", "A1", True)],
        ),
        (recorded("changed", row(code="B2"), row()), [("withdrawn", "A1", False), ("created", "B2", True)]),
    ],
)
def test_what_each_recorded_change_publishes(toys, event, published):
    result = feed_events.published_events([event])
    assert [(each.op, each.id, "data" in each.as_json()) for each in result] == published


def test_events_of_a_dataset_no_longer_published_are_skipped():
    assert feed_events.published_events([recorded("created", row())]) == []


def test_the_rules_are_read_on_the_day_of_the_change(toys, monkeypatch):
    days = []

    class Dated(ToyDataset):
        def is_public(self, row, *, today=None):
            days.append(today)
            return True

    from opendata import datasets

    monkeypatch.setitem(datasets.DATASETS, "toys", Dated())
    event = recorded("withdrawn", row())
    event.published_at = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)  # 1:00 on 2 March in Shanghai
    feed_events.published_events([event])
    assert days == [dt.date(2026, 3, 2)]
