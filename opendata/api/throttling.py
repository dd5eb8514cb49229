"""The API's rate limit as a DRF throttle: one count per request, by the caller's tier."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from opendata.limits import Usage, caller_for, usage_count

USAGE_ATTRIBUTE = "rate_limit_usage"  # on the HttpRequest, for the headers and the 429's body


def request_usage(request) -> Usage | None:
    return getattr(request, USAGE_ATTRIBUTE, None)


class TieredRateThrottle(BaseThrottle):
    """Counts the request against its caller's window (anonymous, developer key or agency)."""

    usage: Usage | None = None

    def allow_request(self, request, view) -> bool:
        django_request = getattr(request, "_request", request)
        self.usage = usage_count(caller_for(django_request, request.auth))
        setattr(django_request, USAGE_ATTRIBUTE, self.usage)
        return not self.usage.exceeded

    def wait(self) -> float | None:
        return self.usage.reset_in() if self.usage is not None else None
