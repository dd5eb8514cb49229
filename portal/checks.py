"""Deployment checks (``manage.py check --deploy``) for settings this project depends on."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

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


@register(Tags.staticfiles, deploy=True)
def static_manifest_check(app_configs=None, **kwargs) -> list[Error]:
    """With DEBUG off static files are served under hashed names listed in STATIC_ROOT's manifest;
    without the manifest every page that links a static file (all of them) is a server error."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.manifest_storage.exists(storage.manifest_name):
        return []
    try:
        where = storage.manifest_storage.path(storage.manifest_name)
    except NotImplementedError:  # a storage without local files
        where = storage.manifest_name
    return [
        Error(
            f"The static files manifest {where} is missing, so every page would fail with a server "
            "error (500).",
            hint="Run 'manage.py collectstatic --noinput' with the production settings, after every "
            "update of the code and before starting the server.",
            id="portal.E001",
        )
    ]


def refuse_to_serve_without_static_manifest() -> None:
    """Called by the WSGI/ASGI entry points: a server that would answer every page with a 500 does
    not start, and says why (portal.E001)."""
    for error in static_manifest_check():
        raise ImproperlyConfigured(f"{error.msg} {error.hint} ({error.id})")
