"""A snapshot plus the feed after its timepoint, replayed into an empty copy, equals the live data."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from blacklists.models import ListEntry
from blacklists.services.entries import list_entry_remove
from opendata.datasets import DATASETS, clear_lookups
from opendata.models import FeedEvent
from opendata.selectors import feed_timepoint_now
from registry.models import AbnormalOperationListing, AdministrativeLicence, Enterprise, InspectionRecord
from registry.services.audit import SYSTEM
from tests import factories
from tests.opendata.helpers import build_sample

pytestmark = pytest.mark.django_db


def live_projection() -> dict[tuple[str, str], dict]:
    """Every published record now, as a fresh export would write it."""
    clear_lookups()
    records = {}
    for name, each in DATASETS.items():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT to_jsonb(t) FROM {each.table} t")
            rows = [json.loads(value) if isinstance(value, str) else value for (value,) in cursor.fetchall()]
        each.prefetch(rows)
        for row in rows:
            data = each.project(row)
            if data is not None:
                records[(name, each.key(row))] = data
    return records


def replay(client, records: dict, after: int) -> tuple[dict, list[str]]:
    copy = dict(records)
    ops = []
    while True:
        page = client.get("/api/v1/changes/", {"after": after, "limit": 7}).json()
        for event in page["events"]:
            ops.append(event["op"])
            if event["op"] == "withdrawn":
                copy.pop((event["dataset"], event["id"]), None)
            else:
                copy[(event["dataset"], event["id"])] = event["data"]
        after = page["next"]
        if not page["has_more"]:
            return copy, ops


def test_snapshot_plus_feed_equals_the_live_data(client):
    sample = build_sample()
    company = sample["company"]
    snapshot = live_projection()
    timepoint = feed_timepoint_now()

    # Created: a new company with a penalty.
    newcomer = factories.EnterpriseFactory(name="合肥新设科技有限公司")
    factories.PenaltyFactory(enterprise=newcomer)
    # Changed.
    Enterprise.objects.filter(pk=company.pk).update(address="安徽省合肥市包河区新址1号")
    # Ended: the abnormal-operations listing is removed and stays published.
    listing = AbnormalOperationListing.objects.get(enterprise=company)
    listing.removed_on = timezone.localdate()
    listing.removal_reason = AbnormalOperationListing.RemovalReason.REPORT_FILED
    listing.removal_agency = listing.listing_agency
    listing.save()
    # Withdrawn: the entry in force leaves its list.
    list_entry_remove(entry=sample["in_force"], reason="信用修复", actor=SYSTEM, via="command")
    # Deleted: a licence and an inspection record.
    AdministrativeLicence.objects.filter(enterprise=company).delete()
    InspectionRecord.objects.filter(enterprise=company).delete()
    # An entry on a list without a public page changes: nothing to publish.
    hidden = ListEntry.objects.get(decision_number="内部-1")
    ListEntry.objects.filter(pk=hidden.pk).update(decision_number="内部-2")

    # The database dates events by its own clock; the test's clock is fixed, so the events are
    # dated at it (the dataset rules are read on the day of each change).
    FeedEvent.objects.filter(timepoint__gt=timepoint).update(published_at=timezone.now())

    copy, ops = replay(client, snapshot, timepoint)

    assert {"created", "changed", "ended", "withdrawn"} <= set(ops)
    assert not [key for key in copy if key == ("list-entries", str(hidden.pk))]
    live = live_projection()
    assert copy.keys() == live.keys()
    assert copy == live
    assert copy != snapshot
