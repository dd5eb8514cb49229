"""GET /api/v1/changes/ and its stream: published events, cursors, the window and bad input."""

import datetime as dt
import json

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from opendata.datasets import clear_lookups, dataset
from opendata.feed.events import published_events
from opendata.models import FeedEvent, FeedPruning
from opendata.selectors import feed_timepoint_now
from opendata.services import feed_prune
from registry.models import AbnormalOperationListing, Enterprise
from tests.factories import AbnormalListingFactory, AgencyFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

CHANGES = "/api/v1/changes/"
STREAM = "/api/v1/changes/stream/"


def raw_row(instance) -> dict:
    from django.db import connection

    table = instance._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT to_jsonb(t) FROM "{table}" t WHERE t.id = %s', [instance.pk])
        value = cursor.fetchone()[0]
    return json.loads(value) if isinstance(value, str) else value


def test_events_are_published_in_order_with_the_dataset_projection(client):
    after = feed_timepoint_now()
    enterprise = EnterpriseFactory(name="合肥甲科技有限公司")
    Enterprise.objects.filter(pk=enterprise.pk).update(name="合肥乙科技有限公司")
    enterprise.refresh_from_db()

    body = client.get(CHANGES, {"after": after, "dataset": "enterprises"}).json()

    events = body["events"]
    assert [event["op"] for event in events] == ["created", "changed"]
    assert [event["id"] for event in events] == [enterprise.uscc, enterprise.uscc]
    assert events[0]["timepoint"] < events[1]["timepoint"] == body["next"]
    assert events[1]["data"] == dataset("enterprises").project(raw_row(enterprise))
    assert set(events[0]) == {"timepoint", "published_at", "op", "dataset", "id", "data"}
    assert body["has_more"] is False


def test_a_deleted_record_is_withdrawn_without_its_data(client):
    listing = AbnormalListingFactory()
    after = feed_timepoint_now()
    listing_id = str(listing.pk)
    listing.delete()

    (event,) = client.get(CHANGES, {"after": after}).json()["events"]
    assert event["op"] == "withdrawn" and event["dataset"] == "abnormal-operations"
    assert event["id"] == listing_id and "data" not in event


def test_a_removed_abnormal_listing_is_ended_and_stays_published(client):
    listing = AbnormalListingFactory()
    after = feed_timepoint_now()
    AbnormalOperationListing.objects.filter(pk=listing.pk).update(
        removed_on=dt.date(2024, 9, 1),
        removal_reason=AbnormalOperationListing.RemovalReason.REPORT_FILED,
        removal_agency=AgencyFactory(),
    )

    (event,) = client.get(CHANGES, {"after": after, "dataset": "abnormal-operations"}).json()["events"]
    assert event["op"] == "ended"
    assert event["data"]["removed_on"] == "2024-09-01"


def test_unchanged_published_records_publish_nothing(client):
    recorded = FeedEvent.objects.filter(dataset="enterprises", key=str(EnterpriseFactory().pk)).get()
    touched = FeedEvent(
        timepoint=recorded.timepoint,
        published_at=recorded.published_at,
        op="changed",
        dataset="enterprises",
        key=recorded.key,
        row=recorded.row,
        previous_row={**recorded.row, "created_at": "2020-01-01T00:00:00+00:00"},
    )
    assert published_events([touched]) == []


def test_the_cursor_pages_through_the_feed(client):
    after = feed_timepoint_now()
    created = [EnterpriseFactory() for _ in range(3)]

    first = client.get(CHANGES, {"after": after, "limit": 2}).json()
    second = client.get(CHANGES, {"after": first["next"], "limit": 2}).json()
    last = client.get(CHANGES, {"after": second["next"], "limit": 2}).json()

    assert first["has_more"] is True and second["has_more"] is False
    ids = [event["id"] for page in (first, second) for event in page["events"]]
    assert ids == [enterprise.uscc for enterprise in created]
    assert last == {"events": [], "next": second["next"], "has_more": False}


def test_a_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    after = feed_timepoint_now()
    for _ in range(20):
        AbnormalListingFactory()
    clear_lookups()
    with django_assert_max_num_queries(12):
        body = client.get(CHANGES, {"after": after, "limit": 100}).json()
    # Each listing brings its enterprise: two published events, however many the page holds.
    assert len(body["events"]) == 40


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ({"after": "abc"}, "after", "whole number"),
        ({"after": "-1"}, "after", "whole number"),
        ({"after": "10000000000"}, "after", "in the future"),
        ({"dataset": "companies"}, "dataset", "companies"),
        ({"dataset": "enterprises,nope"}, "dataset", "nope"),
        ({"limit": "0"}, "limit", "from 1 to 1000"),
        ({"limit": "5000"}, "limit", "from 1 to 1000"),
        ({"wait": "31"}, "wait", "from 0 to 30"),
        ({"wait": "soon"}, "wait", "whole number"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, query, parameter, words):
    response = client.get(CHANGES, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert words in " ".join(error["fields"][parameter])


def test_the_stream_refuses_bad_input_with_json(client):
    response = client.get(STREAM, {"after": "x"}, HTTP_ACCEPT="text/event-stream")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "after" in response.json()["error"]["fields"]


def _age_events(days: int) -> None:
    FeedEvent.objects.update(published_at=timezone.now() - dt.timedelta(days=days))


def test_a_cursor_older_than_the_window_is_gone_with_the_snapshot_to_start_from(client):
    EnterpriseFactory()
    EnterpriseFactory()
    _age_events(91)
    recent = EnterpriseFactory()
    horizon = FeedEvent.objects.filter(published_at__lt=timezone.now() - dt.timedelta(days=90)).latest(
        "timepoint"
    )

    gone = client.get(CHANGES, {"after": 0})
    assert gone.status_code == 410
    error = gone.json()["error"]
    assert error["code"] == "gone" and error["horizon"] == horizon.timepoint
    assert error["retention_days"] == 90
    assert error["snapshot"]["page"] == "/open-data/"
    assert "replay window of 90 days" in error["message"]

    kept = client.get(CHANGES, {"after": horizon.timepoint}).json()
    assert [event["id"] for event in kept["events"]] == [recent.uscc]
    assert client.get(STREAM, {"after": 0}).status_code == 410


def test_events_inside_the_window_are_kept(client):
    after = feed_timepoint_now()
    EnterpriseFactory()
    _age_events(89)
    assert client.get(CHANGES, {"after": after}).status_code == 200
    assert feed_prune() is None


def test_the_window_is_never_under_90_days(client, settings):
    settings.OPEN_DATA_FEED_RETENTION_DAYS = 30
    after = feed_timepoint_now()
    EnterpriseFactory()
    _age_events(60)
    assert client.get(CHANGES, {"after": after}).status_code == 200


def test_pruning_deletes_old_events_keeps_the_newest_and_the_cursor_stays_gone(client):
    EnterpriseFactory()
    EnterpriseFactory()
    _age_events(100)
    latest = feed_timepoint_now()

    call_command("prune_feed_events")

    assert list(FeedEvent.objects.values_list("timepoint", flat=True)) == [latest]
    pruning = FeedPruning.objects.latest("pruned_through")
    assert pruning.pruned_through < latest and pruning.deleted >= 1
    assert client.get(CHANGES, {"after": 0}).status_code == 410
    assert client.get(CHANGES, {"after": latest}).json()["events"] == []


def _stream_messages(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    messages = []
    for block in text.split("\n\n"):
        fields = {}
        for line in block.splitlines():
            if line and not line.startswith(":"):
                name, _, value = line.partition(": ")
                fields[name] = value
        if fields:
            messages.append(fields)
    return messages


def test_the_stream_sends_events_with_their_timepoint_as_id_and_resumes_from_last_event_id(client, settings):
    settings.OPEN_DATA_FEED_STREAM_SECONDS = 0
    after = feed_timepoint_now()
    first, second, third = (EnterpriseFactory() for _ in range(3))

    response = client.get(STREAM, {"after": after, "dataset": "enterprises"}, HTTP_ACCEPT="text/event-stream")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    events = [message for message in _stream_messages(response) if "data" in message]
    assert [json.loads(message["data"])["id"] for message in events] == [first.uscc, second.uscc, third.uscc]
    assert all(message["event"] == "created" for message in events)
    assert [int(message["id"]) for message in events] == [
        json.loads(message["data"])["timepoint"] for message in events
    ]

    resumed = client.get(
        STREAM, {"after": after, "dataset": "enterprises"}, HTTP_LAST_EVENT_ID=events[0]["id"]
    )
    ids = [json.loads(message["data"])["id"] for message in _stream_messages(resumed) if "data" in message]
    assert ids == [second.uscc, third.uscc]


def test_the_stream_moves_its_id_past_events_that_publish_nothing(client, settings):
    settings.OPEN_DATA_FEED_STREAM_SECONDS = 0
    after = feed_timepoint_now()
    enterprise = EnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(created_at=timezone.now() - dt.timedelta(days=1))

    messages = _stream_messages(client.get(STREAM, {"after": after}))
    assert messages[-1] == {"id": str(feed_timepoint_now())}


def test_the_stream_ends_after_its_bounded_duration(client, settings):
    settings.OPEN_DATA_FEED_STREAM_SECONDS = 0.3
    started = timezone.now()
    messages = _stream_messages(client.get(STREAM, {"after": feed_timepoint_now()}))
    assert messages[0] == {"retry": "2500"}
    assert (timezone.now() - started).total_seconds() < 5


def test_the_endpoints_are_in_the_openapi_schema_with_their_errors(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    changes = schema["paths"]["/api/v1/changes/"]["get"]
    assert set(changes["responses"]) >= {"200", "400", "410", "429"}
    assert {parameter["name"] for parameter in changes["parameters"]} >= {"after", "dataset", "limit", "wait"}
    stream = schema["paths"]["/api/v1/changes/stream/"]["get"]
    assert "text/event-stream" in stream["responses"]["200"]["content"]
    assert set(stream["responses"]) >= {"400", "410"}
    assert "horizon" in schema["components"]["schemas"]["GoneBody"]["properties"]


def test_a_new_client_is_sent_to_the_latest_snapshot(client, settings, tmp_path):
    # Rows written before the feed began have no events: a cursor comes from a snapshot.
    settings.OPEN_DATA_ROOT = tmp_path
    for name, timepoint in (("20261101T020000Z", 3), ("20261118T020000Z", 9)):
        (tmp_path / name).mkdir()
        manifest = {
            "snapshot": name,
            "timepoint": timepoint,
            "generated_at": "2026-11-18T02:00:00+00:00",
            "datasets": [
                {
                    "dataset": "enterprises",
                    "files": [
                        {"name": "enterprises.csv.gz", "format": "csv"},
                        {"name": "enterprises.jsonl.gz", "format": "jsonl"},
                    ],
                }
            ],
        }
        (tmp_path / name / "manifest.json").write_text(json.dumps(manifest))

    gone = client.get(CHANGES, {"after": 0})

    assert gone.status_code == 410
    assert gone.json()["error"]["snapshot"] == {
        "page": "/open-data/",
        "name": "20261118T020000Z",
        "timepoint": 9,
        "generated_at": "2026-11-18T02:00:00+00:00",
        "files": {"enterprises": "/open-data/files/20261118T020000Z/enterprises.jsonl.gz"},
    }


def test_the_latest_timepoint_before_any_change_is_the_feeds_start():
    FeedEvent.objects.all().delete()
    start = FeedPruning.objects.latest("pruned_through").pruned_through
    assert feed_timepoint_now() == start
