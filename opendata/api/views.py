"""The change feed API: pages of events after a timepoint (with long polling) and a Server-Sent
Events stream (docs/open-data-feed.md)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import integer_range
from opendata.api.serializers import (
    ErrorSerializer,
    FeedPageSerializer,
    GoneSerializer,
    StreamMessageSerializer,
)
from opendata.feed.snapshots import latest_snapshot_reference
from opendata.selectors.feed import (
    feed_horizon,
    feed_page,
    feed_retention_days,
    feed_timepoint_now,
    feed_wait_for_page,
)

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_WAIT = 30
STREAM_POLL_SECONDS = 0.5
STREAM_KEEPALIVE_SECONDS = 15
STREAM_BATCH = 500


def _dataset_names_schema() -> dict:
    from opendata.datasets import DATASETS

    one = "(" + "|".join(DATASETS) + ")"
    return {"type": "string", "pattern": f"^{one}(,{one})*$"}


DATASET_PARAM = OpenApiParameter(
    "dataset",
    _dataset_names_schema(),
    description="One dataset name, or several separated by commas; all datasets when absent.",
)
AFTER_PARAM = OpenApiParameter(
    "after",
    integer_range(0),
    description="Return events after this timepoint (0: from the start of the replay window).",
)


@dataclass(frozen=True)
class FeedQuery:
    after: int
    datasets: list[str]


def _datasets(request) -> list[str]:
    from opendata.datasets import DATASETS

    raw = request.query_params.get("dataset", "").strip()
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name not in DATASETS]
    if unknown:
        raise ValidationError(
            {
                "dataset": [
                    _("No dataset is named %(name)s; the datasets are: %(names)s.")
                    % {"name": ", ".join(unknown), "names": ", ".join(DATASETS)}
                ]
            }
        )
    return names


def _whole_number(name: str, raw: str, *, maximum: int | None = None) -> int:
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit():
        raise ValidationError(
            {name: [_("%(name)s must be a whole number, not %(value)s.") % {"name": name, "value": raw}]}
        )
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ValidationError(
            {name: [_("%(name)s can be at most %(maximum)s.") % {"name": name, "maximum": maximum}]}
        )
    return value


def _feed_query(request, *, after_raw: str | None = None) -> FeedQuery:
    """The validated dataset list and cursor (400 naming the parameter otherwise)."""
    datasets = _datasets(request)
    if after_raw is None:
        after_raw = request.query_params.get("after", "0")
    after = _whole_number("after", after_raw)
    latest = feed_timepoint_now()
    if after > latest:
        raise ValidationError(
            {
                "after": [
                    _("Timepoint %(after)s is in the future: the latest timepoint is %(latest)s.")
                    % {"after": after, "latest": latest}
                ]
            }
        )
    return FeedQuery(after=after, datasets=datasets)


def _gone_if_outside_window(query: FeedQuery) -> Response | None:
    """The 410 answer when events after the cursor may have been pruned (checked after every
    parameter is valid, so a bad parameter is a 400 whatever the cursor)."""
    horizon = feed_horizon()
    return _gone(query.after, horizon) if query.after < horizon else None


def _gone(after: int, horizon: int) -> Response:
    days = feed_retention_days()
    return Response(
        {
            "error": {
                "status": status.HTTP_410_GONE,
                "code": "gone",
                "message": _(
                    "Timepoint %(after)s is older than the replay window of %(days)s days: events up to "
                    "%(horizon)s are no longer kept. Load the latest snapshot and follow the feed from "
                    "its timepoint."
                )
                % {"after": after, "days": days, "horizon": horizon},
                "horizon": horizon,
                "retention_days": days,
                "snapshot": latest_snapshot_reference(),
            }
        },
        status=status.HTTP_410_GONE,
    )


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is invalid; `fields` names it."),
    410: OpenApiResponse(
        GoneSerializer,
        description="`after` is older than the replay window; start again from the snapshot named.",
    ),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
}


class ChangesView(APIView):
    """Events after a timepoint, oldest first. Follow `next` until `has_more` is false; with
    `wait`, an empty answer is held back up to that many seconds until an event arrives."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=[
            DATASET_PARAM,
            AFTER_PARAM,
            OpenApiParameter(
                "limit",
                integer_range(1, MAX_LIMIT),
                description=f"Events to read, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
            ),
            OpenApiParameter(
                "wait",
                integer_range(0, MAX_WAIT),
                description=f"Seconds to wait for an event, 0 to {MAX_WAIT} (long poll).",
            ),
        ],
        responses={200: FeedPageSerializer, **ERROR_RESPONSES},
    )
    def get(self, request):
        query = _feed_query(request)
        limit = _whole_number(
            "limit", request.query_params.get("limit", str(DEFAULT_LIMIT)), maximum=MAX_LIMIT
        )
        if limit < 1:
            raise ValidationError({"limit": [_("limit must be at least 1.")]})
        wait = _whole_number("wait", request.query_params.get("wait", "0"), maximum=MAX_WAIT)
        gone = _gone_if_outside_window(query)
        if gone is not None:
            return gone
        page = feed_wait_for_page(after=query.after, datasets=query.datasets, limit=limit, wait=wait)
        return Response(
            {
                "events": [event.as_json() for event in page.events],
                "next": page.next,
                "has_more": page.has_more,
            }
        )


class EventStreamRenderer(BaseRenderer):
    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()


def event_stream(
    query: FeedQuery,
    *,
    seconds: float,
    poll: float = STREAM_POLL_SECONDS,
    clock=time.monotonic,
    sleep=time.sleep,
) -> Iterator[str]:
    """The SSE messages: each event with ``id:`` its timepoint, an ``id:``-only message when the
    cursor moved past events that publish nothing, a comment now and then to keep proxies from
    closing an idle connection; ends after ``seconds`` (the client reconnects with Last-Event-ID)."""
    yield f"retry: {int(poll * 1000) + 2000}\n\n"
    after = query.after
    deadline = clock() + seconds
    last_sent = clock()
    while True:
        page = feed_page(after=after, datasets=query.datasets, limit=STREAM_BATCH)
        for event in page.events:
            data = json.dumps(event.as_json(), ensure_ascii=False)
            yield f"id: {event.timepoint}\nevent: {event.op}\ndata: {data}\n\n"
        if page.next != after and (not page.events or page.events[-1].timepoint != page.next):
            yield f"id: {page.next}\n\n"
        if page.events or page.next != after:
            last_sent = clock()
        after = page.next
        if page.has_more:
            continue
        if clock() >= deadline:
            return
        if clock() - last_sent >= STREAM_KEEPALIVE_SECONDS:
            yield ": keepalive\n\n"
            last_sent = clock()
        sleep(min(poll, max(0.0, deadline - clock())))


class ChangesStreamView(APIView):
    """The same events as Server-Sent Events: `id:` is the timepoint, `event:` the operation and
    `data:` the event as JSON. A connection stays open for a bounded time; the client reconnects
    and the `Last-Event-ID` header resumes where it stopped."""

    renderer_classes = [JSONRenderer, EventStreamRenderer]

    @extend_schema(
        parameters=[
            DATASET_PARAM,
            AFTER_PARAM,
            OpenApiParameter(
                "Last-Event-ID",
                integer_range(0),
                location=OpenApiParameter.HEADER,
                description="Sent by EventSource when it reconnects; takes the place of `after`.",
            ),
        ],
        responses={(200, "text/event-stream"): StreamMessageSerializer, **ERROR_RESPONSES},
    )
    def get(self, request):
        last_event_id = request.headers.get("Last-Event-ID")
        query = _feed_query(request, after_raw=last_event_id)
        gone = _gone_if_outside_window(query)
        if gone is not None:
            return gone
        seconds = float(getattr(settings, "OPEN_DATA_FEED_STREAM_SECONDS", 300))
        response = StreamingHttpResponse(
            event_stream(query, seconds=seconds), content_type="text/event-stream"
        )
        response["Cache-Control"] = "no-cache"
        # Tells nginx not to buffer the stream.
        response["X-Accel-Buffering"] = "no"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            # Errors are JSON whatever the client accepts.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
            response.renderer_context = self.get_renderer_context()
        return response
