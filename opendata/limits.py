"""API rate limits by tier: who a caller is, how many requests its window allows, what is left.

Three tiers (settings ``API_RATE_LIMITS``, documented in docs/open-data-limits.md): anonymous
callers are counted per IP address, developer keys per key, agency clients per client. Each tier
has one fixed window: the count starts again at the next multiple of the window's length. The
counts live in PostgreSQL (``RateLimitWindow``), so every worker process of every server sees the
same numbers, and each request is counted by one atomic upsert.
"""

from __future__ import annotations

import dataclasses
import random
import re
import time

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from blacklists.models import ApiClient
from opendata.models import DeveloperKey, RateLimitWindow

ANONYMOUS = "anonymous"
KEY = "key"
AGENCY = "agency"

TIER_NAMES = {
    ANONYMOUS: _("anonymous"),
    KEY: _("developer key"),
    AGENCY: _("agency client"),
}

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)s?\s*$")
_UNIT_SECONDS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
_UNIT_SECONDS |= {"d": 86400, "day": 86400}
PURGE_ONE_IN = 200  # on average one request in this many deletes the windows that have ended


@dataclasses.dataclass(frozen=True)
class Limit:
    tier: str
    quota: int
    window: int  # seconds

    @property
    def policy(self) -> str:
        return f"{self.quota};w={self.window}"


def parse_rate(value: str) -> tuple[int, int]:
    """``"600/300s"``, ``"120/minute"``, ``"10000/5m"`` -> (quota, window in seconds)."""
    match = _RATE.match(value or "")
    if not match:
        raise ValueError(f"A rate is '<requests>/<window>' like '600/300s' or '120/minute', not {value!r}.")
    quota, count, unit = int(match[1]), int(match[2] or 1), match[3]
    window = count * _UNIT_SECONDS[unit]
    if quota < 1 or window < 1:
        raise ValueError(f"A rate allows at least one request in at least one second, not {value!r}.")
    return quota, window


def limit_for(tier: str) -> Limit:
    quota, window = parse_rate(settings.API_RATE_LIMITS[tier])
    return Limit(tier=tier, quota=quota, window=window)


@dataclasses.dataclass(frozen=True)
class Caller:
    tier: str
    bucket: str  # what the requests are counted against

    @property
    def limit(self) -> Limit:
        return limit_for(self.tier)


def client_address(request) -> str:
    # Behind a trusted proxy, REMOTE_ADDR is set by the proxy middleware of the deployment.
    return request.META.get("REMOTE_ADDR") or "unknown"


def caller_for(request, auth=None) -> Caller:
    """The tier and the counter of a request, from what authenticated it (DRF's ``request.auth``)."""
    if isinstance(auth, DeveloperKey):
        return Caller(KEY, f"key:{auth.pk}")
    if isinstance(auth, ApiClient):
        return Caller(AGENCY, f"client:{auth.pk}")
    return Caller(ANONYMOUS, f"ip:{client_address(request)}")


@dataclasses.dataclass(frozen=True)
class Usage:
    """Where a caller stands in its current window."""

    limit: Limit
    used: int
    reset_at: int  # Unix seconds when the window ends

    @property
    def remaining(self) -> int:
        return max(self.limit.quota - self.used, 0)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit.quota

    def reset_in(self, now: float | None = None) -> int:
        """Whole seconds until the window ends, at least 1 (a client waiting that long is let in)."""
        now = time.time() if now is None else now
        return max(int(self.reset_at - now + 0.999), 1)

    def headers(self, now: float | None = None) -> dict[str, str]:
        reset = self.reset_in(now)
        quota, remaining = self.limit.quota, self.remaining
        return {
            # draft-ietf-httpapi-ratelimit-headers-11 (structured fields: the policy named by its tier,
            # quota q, window w; remaining r, seconds to reset t).
            "RateLimit-Policy": f'"{self.limit.tier}";q={quota};w={self.limit.window}',
            "RateLimit": f'"{self.limit.tier}";r={remaining};t={reset}',
            # The names clients written against Companies House read; Reset is a Unix time there.
            "X-Ratelimit-Limit": str(quota),
            "X-Ratelimit-Remaining": str(remaining),
            "X-Ratelimit-Reset": str(self.reset_at),
            "X-Ratelimit-Window": f"{self.limit.window}s",
        }


def _window(limit: Limit, now: float) -> tuple[int, int]:
    start = int(now // limit.window) * limit.window
    return start, start + limit.window


def usage_count(caller: Caller, *, now: float | None = None) -> Usage:
    """Count one request of ``caller`` and return where it then stands."""
    now = time.time() if now is None else now
    limit = caller.limit
    start, end = _window(limit, now)
    table = RateLimitWindow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, window_start, window_end, hits) VALUES (%s, %s, %s, 1) "  # noqa: S608
            "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = " + table + ".hits + 1 RETURNING hits",
            [caller.bucket, start, end],
        )
        (hits,) = cursor.fetchone()
        if hits == 1 and random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 - not a secret
            cursor.execute(f"DELETE FROM {table} WHERE window_end < %s", [int(now)])  # noqa: S608
    return Usage(limit=limit, used=hits, reset_at=end)


def usage_peek(caller: Caller, *, now: float | None = None) -> Usage:
    """Where ``caller`` stands, without counting a request (for answers the limit did not count)."""
    now = time.time() if now is None else now
    limit = caller.limit
    start, end = _window(limit, now)
    hits = (
        RateLimitWindow.objects.filter(bucket=caller.bucket, window_start=start)
        .values_list("hits", flat=True)
        .first()
    )
    return Usage(limit=limit, used=hits or 0, reset_at=end)
