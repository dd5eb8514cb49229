"""Reads from a replica when one is configured; writes, and whoever just wrote, use the primary.

Active only when ``DATABASE_REPLICA_URL`` is set (``config/settings.py`` then adds the ``replica``
alias, this router and the middleware). A request may read the replica only when all of these hold:
it is a safe request (GET, HEAD, OPTIONS) to a public path (not the admin, not a company's or a
clerk's account pages: ``REPLICA_PRIMARY_PATHS``), the client has not written in the last
``REPLICA_PIN_SECONDS`` (a cookie set by every unsafe request), and the code is not inside a
transaction on the primary. Everything else, including management commands and the job worker,
reads the primary: a user always sees their own change, and background work never acts on data
that is seconds old. docs/scaling.md explains the choice of the pin time.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"
PIN_COOKIE = "primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Tables whose reads must see the latest write whatever the request: the database cache holds
# the rate-limit and lockout counters, and the session table who is signed in.
PRIMARY_ONLY_APP_LABELS = frozenset({"django_cache", "sessions"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_reads_allowed() -> bool:
    return _replica_reads.get()


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APP_LABELS:
            return DEFAULT_DB_ALIAS
        if _replica_reads.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: an object read from one may relate to
        # an object read from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def pinned_to_primary(request) -> bool:
    try:
        until = float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return False
    return until > time.time()


def request_may_read_replica(request) -> bool:
    if request.method not in SAFE_METHODS or pinned_to_primary(request):
        return False
    return not any(request.path.startswith(prefix) for prefix in settings.REPLICA_PRIMARY_PATHS)


class ReplicaReadsMiddleware:
    """Marks the requests that may read the replica, and pins a client that writes to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_reads.set(request_may_read_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if request.method not in SAFE_METHODS:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + seconds:.0f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
