"""Failed-attempt throttling for sign-in and claiming (cache-based, per e-mail address and per IP).

After ``MAX_FAILURES`` failures for the same key within ``WINDOW``, the key is locked for
``LOCKOUT``: every attempt is refused with a clear message, right or wrong, until it passes.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCKOUT_SECONDS = 15 * 60


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
