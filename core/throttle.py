"""Failed-attempt throttling for sign-in and claiming (cache-based, per e-mail address and per IP).

After ``MAX_FAILURES`` failures for the same key within ``WINDOW``, the key is locked for
``LOCKOUT``: every attempt is refused with a clear message, right or wrong, until it passes.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator

from django.core.cache import cache, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connection, transaction

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCKOUT_SECONDS = 15 * 60


@contextlib.contextmanager
def cache_key_locked(key: str) -> Iterator[None]:
    """Read and write one counter of the shared cache with no other worker in between.

    A count in the database cache is read, then written (the cache's ``incr`` too): two workers
    serving the same client at the same moment would both read 4 and both write 5, and let a
    request past the limit. A transaction-scoped advisory lock on the key makes them take turns;
    it is released at the commit, a few milliseconds later. A process-memory cache is one
    process's, with nothing to share."""
    if not isinstance(caches["default"], BaseDatabaseCache):
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
        yield


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{kind}:{digest}"


def _keys(scope: str, *, email: str = "", ip: str = "") -> list[str]:
    keys = []
    if email:
        keys.append(_key(scope, "email", email))
    if ip:
        keys.append(_key(scope, "ip", ip))
    return keys


def throttle_locked(scope: str, *, email: str = "", ip: str = "") -> bool:
    """True while the e-mail address or the IP address is locked out of ``scope``."""
    return any(cache.get(f"{key}:locked") for key in _keys(scope, email=email, ip=ip))


def throttle_failure(scope: str, *, email: str = "", ip: str = "", now: float | None = None) -> bool:
    """Count one failed attempt; True when this failure locks the e-mail address or the IP."""
    now = time.time() if now is None else now
    locked = False
    for key in _keys(scope, email=email, ip=ip):
        with cache_key_locked(key):
            recent = [moment for moment in cache.get(key, []) if moment > now - WINDOW_SECONDS]
            recent.append(now)
            if len(recent) >= MAX_FAILURES:
                cache.set(f"{key}:locked", True, timeout=LOCKOUT_SECONDS)
                cache.delete(key)
                locked = True
            else:
                cache.set(key, recent, timeout=WINDOW_SECONDS)
    return locked


def throttle_success(scope: str, *, email: str = "") -> None:
    """A successful attempt forgets the address's failures (not the IP's)."""
    for key in _keys(scope, email=email):
        cache.delete(key)
