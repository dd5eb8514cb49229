"""From recorded rows to published events.

The trigger records what happened to a row (created, changed, withdrawn) with the raw rows; what a
client sees is decided here, by the dataset's own rules, on the day the change happened (so an
event means the same whenever it is read):

- a row that was not public before nor after the change publishes nothing;
- a row that becomes public is ``created``, one that stops being public (or is deleted while
  public) is ``withdrawn``, with its id and no data;
- a public row whose published record did not change publishes nothing;
- a public row the dataset now calls ended (``Dataset.ended``), and did not before, is ``ended``:
  still published, with its data; any other change is ``changed``.

A client applies ``created``, ``changed`` and ``ended`` as "put this record", ``withdrawn`` as
"remove this id".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from opendata.models import FeedEvent

Op = FeedEvent.Op


@dataclass(frozen=True)
class PublishedEvent:
    timepoint: int
    published_at: dt.datetime
    op: str
    dataset: str
    id: str
    data: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "timepoint": self.timepoint,
            "published_at": self.published_at.isoformat(),
            "op": self.op,
            "dataset": self.dataset,
            "id": self.id,
        }
        if self.op != Op.WITHDRAWN:
            body["data"] = self.data
        return body


def _ended(dataset, row: dict) -> bool:
    rule = getattr(dataset, "ended", None)
    return bool(rule(row)) if rule is not None else False


def _publish_one(dataset, event: FeedEvent) -> Iterator[PublishedEvent]:
    today = timezone.localdate(event.published_at)

    def made(op: str, row: dict, data: dict | None) -> PublishedEvent:
        return PublishedEvent(event.timepoint, event.published_at, op, event.dataset, dataset.key(row), data)

    if event.op == Op.WITHDRAWN:
        if dataset.is_public(event.row, today=today):
            yield made(Op.WITHDRAWN, event.row, None)
        return
    after = dataset.project(event.row, today=today)
    if event.op == Op.CREATED:
        if after is not None:
            yield made(Op.CREATED, event.row, after)
        return
    # A day's passing (no write) is judged by the rules of the day before it and of its own day.
    before = dataset.project(event.previous_row, today=event.previous_day or today)
    if before is None and after is None:
        return
    if after is None:
        yield made(Op.WITHDRAWN, event.previous_row, None)
        return
    if before is None:
        yield made(Op.CREATED, event.row, after)
        return
    if dataset.key(event.previous_row) != dataset.key(event.row):
        # The public id itself changed: to a client, the old record left and a new one came.
        yield made(Op.WITHDRAWN, event.previous_row, None)
        yield made(Op.CREATED, event.row, after)
        return
    if before == after:
        return
    ended = _ended(dataset, event.row) and not _ended(dataset, event.previous_row)
    yield made(Op.ENDED if ended else Op.CHANGED, event.row, after)


def published_events(events: Iterable[FeedEvent]) -> list[PublishedEvent]:
    """The published events of recorded ones, in timepoint order; events of a dataset that is no
    longer published are skipped."""
    from opendata.datasets import DATASETS

    events = list(events)
    rows_by_dataset: dict[str, list[dict]] = defaultdict(list)
    for event in events:
        rows_by_dataset[event.dataset].append(event.row)
        if event.previous_row is not None:
            rows_by_dataset[event.dataset].append(event.previous_row)
    for name, rows in rows_by_dataset.items():
        dataset = DATASETS.get(name)
        if dataset is not None and hasattr(dataset, "prefetch"):
            dataset.prefetch(rows)
    published = []
    try:
        for event in events:
            dataset = DATASETS.get(event.dataset)
            if dataset is not None:
                published.extend(_publish_one(dataset, event))
    finally:
        # Batch lookups (enterprise codes, masked ID numbers) are for this batch only: a worker
        # that serves the feed for days must neither grow nor serve a stale code.
        for name in rows_by_dataset:
            dataset = DATASETS.get(name)
            if dataset is not None and hasattr(dataset, "release"):
                dataset.release()
    return published
