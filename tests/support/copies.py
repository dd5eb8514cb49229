"""A copy of the project in a temporary directory, run against a database of its own.

``tests/test_production_start.py`` (a copy of the working tree) and
``tests/test_upgrade_keeps_data.py`` (the tree of an older commit) share these helpers: a throwaway
database on the test run's PostgreSQL server, the test run's virtualenv linked as the copy's
``.venv``, and one step run in the copy with an environment of its own.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.conf import settings

STEP_TIMEOUT = 120  # seconds for one step
INHERITED = ("PATH", "HOME", "LANG", "TMPDIR")


def database_url(conf: dict, name: str) -> str:
    quote = urllib.parse.quote
    credentials = quote(conf["USER"], safe="")
    if conf.get("PASSWORD"):
        credentials += ":" + quote(conf["PASSWORD"], safe="")
    address = quote(conf.get("HOST") or "", safe="")
    if conf.get("PORT"):
        address += f":{conf['PORT']}"
    return f"postgres://{credentials}@{address}/{name}"


def server_connection(conf: dict, dbname: str) -> psycopg.Connection:
    return psycopg.connect(
        dbname=dbname,
        user=conf["USER"],
        password=conf.get("PASSWORD") or None,
        host=conf.get("HOST") or None,
        port=conf.get("PORT") or None,
        autocommit=True,
    )


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[dict]:
    """A database of its own on the test run's PostgreSQL server, dropped afterwards: its
    ``url`` (for ``DATABASE_URL``), the server's connection settings ``conf`` and its ``name``."""
    conf = settings.DATABASES["default"]
    name = f"{prefix}_{secrets.token_hex(6)}"
    with server_connection(conf, "postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"url": database_url(conf, name), "conf": conf, "name": name}
    finally:
        with server_connection(conf, "postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def temporary_copy(prefix: str) -> Iterator[Path]:
    """An empty temporary directory whose ``.venv`` is this test run's virtualenv, deleted afterwards;
    the caller fills it with the project's files."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        (directory / ".venv").symlink_to(sys.prefix, target_is_directory=True)
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def base_environment(**variables: str) -> dict[str, str]:
    """The few variables a subprocess needs from this one, and ``variables``; nothing else leaks in
    (no ``DATABASE_URL`` or embedded-server settings of the test run)."""
    return {**{key: os.environ[key] for key in INHERITED if key in os.environ}, **variables}


def run_step(command: str | list[str], *, cwd: Path, env: dict, timeout: int = STEP_TIMEOUT) -> str:
    """Run one command in ``cwd`` (a shell line, or an argument list); fail the test with its output
    unless it succeeds. Returns its output."""
    argv = ["bash", "-euo", "pipefail", "-c", command] if isinstance(command, str) else command
    result = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{command!r} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr
