"""The API's JSON errors (registry.api.errors) and, on a 429, which limit was reached and when it resets."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled

from opendata.api.throttling import request_usage
from opendata.limits import TIER_NAMES
from registry.api.errors import json_exception_handler as base_handler


def json_exception_handler(exc, context):
    response = base_handler(exc, context)
    if response is None or not isinstance(exc, Throttled):
        return response
    request = context.get("request")
    usage = request_usage(getattr(request, "_request", request)) if request is not None else None
    if usage is None:
        return response
    reset_in = usage.reset_in()
    limit = usage.limit
    body = response.data["error"]
    body["message"] = _(
        "Rate limit reached: the %(tier)s tier allows %(quota)d requests per %(window)d seconds. "
        "It resets in %(reset)d seconds."
    ) % {"tier": TIER_NAMES[limit.tier], "quota": limit.quota, "window": limit.window, "reset": reset_in}
    body["limit"] = {
        "tier": limit.tier,
        "quota": limit.quota,
        "window_seconds": limit.window,
        "remaining": usage.remaining,
        "reset_seconds": reset_in,
        "reset_at": dt.datetime.fromtimestamp(usage.reset_at, tz=dt.UTC).isoformat(),
    }
    response["Retry-After"] = str(reset_in)
    return response
