"""Rate limits and the sign-in lockout hold across gunicorn workers sharing the database cache.

A real gunicorn with two sync workers on loopback serves the test database; each response names the
worker that answered (tests/support/worker_wsgi.py), so the test knows both counted."""

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from core.throttle import cache_key_locked

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 5
SEARCH = "/search/?" + urlencode({"q": "合肥"})

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, *, body: str = "", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            conn.request(
                method, path, body=body or None, headers={"Accept-Language": "en", **(headers or {})}
            )
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            conn.close()


@pytest.fixture
def site(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
    }
    call_command("createcachetable", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_cache")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
        "WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
        # The test run's embedded server is removed by the test run, not by these workers.
        "EMBEDDED_PG_THROWAWAY": "0",
        "PUBLIC_SEARCH_PER_MINUTE": str(LIMIT),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", "config/gunicorn.py", "-b", f"127.0.0.1:{port}", "-w", "2"]
    process = subprocess.Popen(
        [*command, "tests.support.worker_wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    server = Site(port)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read().decode()
            try:
                if server.request("GET", "/lists/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM portal_cache")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def early_in_a_minute() -> None:
    """The page limits count per clock minute: begin where the requests cannot straddle two."""
    if time.time() % 60 > 40:
        time.sleep(60 - time.time() % 60 + 0.2)


@pytest.mark.parametrize("path", [SEARCH, "/reports/R0000000000/"])
def test_the_page_limit_counts_one_client_across_workers(site, path):
    early_in_a_minute()
    answers = [site.request("GET", path) for _ in range(LIMIT + 1)]
    # Then a burst of parallel requests: both workers busy with the same client at the same moment.
    with ThreadPoolExecutor(max_workers=8) as pool:
        burst = list(pool.map(lambda _n: site.request("GET", path), range(8)))
    statuses = [status for status, _headers, _body in answers]
    assert all(status != 429 for status in statuses[:LIMIT]), statuses
    assert statuses[LIMIT] == 429
    assert answers[LIMIT][1]["Retry-After"] == "60"
    assert all(status == 429 for status, _headers, _body in burst)
    workers = {headers["X-Worker-Pid"] for _status, headers, _body in answers + burst}
    assert len(workers) == 2


def test_a_second_worker_waits_while_one_counts(settings):
    """A count is read, then written: without the lock two workers both read 4 and both write 5."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
    }
    call_command("createcachetable", verbosity=0)
    counting, done_counting = threading.Event(), threading.Event()
    order = []

    def first_worker():
        with cache_key_locked("ratelimit:search:127.0.0.9:1"):
            counting.set()
            done_counting.wait(10)
            order.append("first worker wrote its count")
        connection.close()

    def second_worker():
        counting.wait(10)
        with cache_key_locked("ratelimit:search:127.0.0.9:1"):
            order.append("second worker read the count")
        connection.close()

    threads = [threading.Thread(target=first_worker), threading.Thread(target=second_worker)]
    for thread in threads:
        thread.start()
    counting.wait(10)
    time.sleep(0.5)
    order.append("half a second later")
    done_counting.set()
    for thread in threads:
        thread.join(10)
    assert order == ["half a second later", "first worker wrote its count", "second worker read the count"]


def sign_in(site: Site, email: str, password: str) -> tuple[int, set[str], str]:
    status, form_headers, page = site.request("GET", "/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", form_headers["Set-Cookie"]).group(1)
    status, headers, page = site.request(
        "POST",
        "/account/login/",
        body=urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )
    return status, {form_headers["X-Worker-Pid"], headers["X-Worker-Pid"]}, page


def test_the_sign_in_lockout_holds_for_every_worker(site):
    email = "owner@example.com"
    get_user_model().objects.create_user(email, email=email, password="right-password-123")
    assert sign_in(site, email, "right-password-123")[0] == 302  # the right password works
    workers = set()
    for _attempt in range(5):
        status, answered_by, page = sign_in(site, email, "wrong-password")
        assert status == 200 and "The e-mail address or the password is wrong." in page
        workers |= answered_by
    # Sequential requests to an idle server may all reach one worker: attempts go in parallel
    # bursts until both workers have refused the right password at least once.
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _burst in range(10):
            answers = list(pool.map(lambda _: sign_in(site, email, "right-password-123"), range(4)))
            for status, answered_by, page in answers:
                assert status == 200, "signed in while locked out"
                assert "Too many failed attempts" in page
                workers |= answered_by
            if len(workers) == 2:
                break
    assert len(workers) == 2
