"""API responses: rate-limit headers on every one, ETags and 304s on successful reads."""

from __future__ import annotations

from django.middleware.http import ConditionalGetMiddleware

from opendata.api.throttling import request_usage
from opendata.limits import caller_for, usage_peek

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class RateLimitHeadersMiddleware:
    """Every API answer says which limit applies, what is left and when it resets.

    A request the throttle counted carries its usage; one it never reached (a 401 for a bad key, a
    403, a 404 outside any view, an endpoint without the throttle) gets the caller's standing
    without counting it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request):
            return response
        usage = request_usage(request)
        if usage is None:
            usage = usage_peek(caller_for(request, getattr(request, "auth", None)))
        for name, value in usage.headers().items():
            response[name] = value
        return response


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETag (a hash of the body) on API reads, and 304 Not Modified when If-None-Match matches.

    The body is still built, but an unchanged record costs the client no transfer and no parsing;
    streamed answers (the change feed's stream) are left alone."""

    def process_response(self, request, response):
        if not is_api(request) or response.streaming or response.status_code != 200:
            return response
        return super().process_response(request, response)
