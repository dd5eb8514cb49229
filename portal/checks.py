"""Deployment checks (``manage.py check --deploy``) for settings this project depends on."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def shared_cache_check(app_configs=None, **kwargs) -> list[Warning]:
    """Rate limits and lockouts live in the cache: per-process memory lets N workers allow N times."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Warning(
                "The default cache is kept in each process's memory, so every server worker counts "
                "rate limits and sign-in lockouts on its own.",
                hint="Set CACHE_BACKEND=database and run 'manage.py createcachetable'.",
                id="portal.W001",
            )
        ]
    return []
