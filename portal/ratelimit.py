"""Per-client rate limits for public pages: no captcha, but no scraping wars either."""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.throttle import cache_key_locked


def client_key(request) -> str:
    # Behind a trusted proxy, REMOTE_ADDR is set by the proxy middleware of the deployment.
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limited(scope: str, *, per_minute_setting: str = "PUBLIC_SEARCH_PER_MINUTE", default: int = 60):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, per_minute_setting, default)
            window = int(time.time() // 60)
            key = f"ratelimit:{scope}:{client_key(request)}:{window}"
            with cache_key_locked(key):
                count = cache.get_or_set(key, 0, timeout=61)
                if count < limit:
                    try:
                        cache.incr(key)
                    except ValueError:
                        cache.set(key, 1, timeout=61)
            if count >= limit:
                response = render(
                    request,
                    "portal/rate_limited.html",
                    {
                        "message": _(
                            "You have made %(n)d requests of this kind in the last minute. Please wait a "
                            "minute and try again, or use the API for bulk access."
                        )
                        % {"n": limit}
                    },
                    status=429,
                )
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
