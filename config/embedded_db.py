"""Start (or reuse) the project's own PostgreSQL when no DATABASE_URL is given.

The server binaries come from the ``pgserver`` wheel, so a fresh machine needs
nothing but Python. Only core PostgreSQL features are used, so the same schema
runs unchanged on any managed PostgreSQL 14+.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "credit"


def embedded_database_settings(data_dir: Path, *, throwaway: bool = False) -> dict:
    """Return a Django DATABASES entry for an embedded server in ``data_dir``.

    A throwaway server (tests) is deleted when the last process using it exits;
    a development server keeps running and is reused by the next command.
    """
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="delete" if throwaway else None)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query).get("host", [""])[0]
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - DATABASE_NAME is a constant of this module
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": socket_dir or uri.hostname or "",
        "PORT": str(uri.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # The embedded server's data is on local disk: random reads cost little more than
        # sequential ones, and the default (4.0) makes the planner scan big tables for common names.
        "OPTIONS": {"options": "-c random_page_cost=1.1"},
    }


def data_dir_from_env(base_dir: Path) -> Path:
    return Path(os.environ.get("EMBEDDED_PG_DIR", base_dir / ".pgdata"))
