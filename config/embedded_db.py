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


def start_embedded_replica(primary: dict, replica_dir: Path) -> dict:
    """Start a streaming replica of the embedded server in ``replica_dir`` and return its settings.

    ``pg_basebackup -R`` copies the primary and writes the standby configuration; the replica then
    follows the primary's WAL as a hot standby, readable and read-only, like a production replica
    behind ``DATABASE_REPLICA_URL``. Used by the replica tests and for trying the router locally.
    """
    import pgserver
    from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

    run_as = None
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root; the embedded primary runs as this system user too.
        run_as = "pgserver"
        entry = ensure_user_exists(run_as)
    replica_dir.mkdir(parents=True, exist_ok=True)
    if run_as is not None:
        ensure_prefix_permissions(replica_dir)
        os.chown(replica_dir, entry.pw_uid, entry.pw_gid)
    replica_dir.chmod(0o700)
    pgserver.pg_basebackup(
        [
            "--host", primary["HOST"], "--port", str(primary["PORT"] or 5432),
            "--username", primary["USER"], "--pgdata", str(replica_dir),
            "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast",
        ],
        user=run_as,
    )  # fmt: skip
    # The embedded primary keeps its socket in its data directory, so the copy holds its lock file.
    for stale in replica_dir.glob(".s.PGSQL.*"):
        stale.unlink()
    port = str(primary["PORT"] or 5432)
    pgserver.pg_ctl(
        ["-w", "-l", str(replica_dir / "replica.log"), "-o", f"-h '' -k {replica_dir} -p {port}", "start"],
        pgdata=replica_dir,
        user=run_as,
    )
    return {**primary, "HOST": str(replica_dir), "PORT": port}


def stop_embedded_replica(replica_dir: Path) -> None:
    import pgserver

    run_as = "pgserver" if os.geteuid() == 0 else None
    pgserver.pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=replica_dir, user=run_as)
