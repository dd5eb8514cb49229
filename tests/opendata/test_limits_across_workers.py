"""The rate limit holds across gunicorn workers: two workers, one shared count, exactly one 429."""

from __future__ import annotations

import concurrent.futures
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.support.copies import base_environment, database_url

ROOT = Path(__file__).resolve().parents[2]
QUOTA = 12
START_TIMEOUT = 30


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, dict]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=20) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
    except OSError as error:
        return 0, {"error": repr(error)}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_share_one_count(tmp_path):
    call_command("createcachetable", verbosity=0)
    conf = connection.settings_dict
    port = free_loopback_port()
    log = tmp_path / "gunicorn.log"
    # The API answers JSON only: an empty static manifest lets the production settings start.
    static_root = tmp_path / "static"
    static_root.mkdir()
    (static_root / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    environment = base_environment(
        DATABASE_URL=database_url(conf, conf["NAME"]),
        SECRET_KEY=secrets.token_urlsafe(48),
        ID_HASH_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_BACKEND="database",
        SECURE_COOKIES="0",
        STATIC_ROOT=str(static_root),
        # A day-long window: the count cannot start afresh in the middle of the test.
        API_ANON_RATE=f"{QUOTA}/day",
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "-w",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "-",
        "--access-logformat",
        "worker=%(p)s status=%(s)s",
    ]
    with log.open("w") as log_file:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/lists/"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert server.poll() is None, log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn did not start:\n{log.read_text()}"
                time.sleep(0.2)
        # Four at a time, so both workers are kept busy and each takes its share.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(fetch, [url] * (QUOTA + 1)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    statuses = sorted(status for status, _headers in answers)
    assert 0 not in statuses, f"{answers}\n{log.read_text()}"
    assert statuses == [200] * QUOTA + [429], log.read_text()
    [refused] = [headers for status, headers in answers if status == 429]
    assert int(refused["Retry-After"]) >= 1 and refused["RateLimit"].startswith('"anonymous";r=0;')
    remaining = sorted(int(headers["X-Ratelimit-Remaining"]) for status, headers in answers if status == 200)
    assert remaining == list(range(QUOTA))  # every request counted once, none lost between workers
    workers = set(re.findall(r"worker=<(\d+)>", log.read_text()))
    assert len(workers) == 2, log.read_text()
