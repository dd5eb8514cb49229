"""The README's production steps, run as written, give a working site.

The test copies the tracked files of this checkout (as they are in the working tree) into a fresh
directory, which stands for a clean checkout, and runs the shell block marked ``production-steps``
in README.md there with ``DEBUG`` unset, against a throwaway database of its own on the test run's
PostgreSQL server. Two lines are not run as written: the ``export`` lines, whose values the test
supplies (the same variables, no more), and the install line, replaced by this test run's
virtualenv. The last line starts gunicorn, on a free loopback port; the test then adds a few demo
enterprises and fetches the home page, a profile and that profile's PDF credit report.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support import copies
from tests.support.copies import run_step, server_connection

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- production-steps"
START_TIMEOUT = 60


def production_block(readme: str) -> list[str]:
    """The command lines of the shell block after the ``production-steps`` marker."""
    lines = readme.splitlines()
    starts = [number for number, line in enumerate(lines) if line.startswith(MARKER)]
    assert len(starts) == 1, f"README.md needs exactly one {MARKER} --> marker before its production steps"
    start = starts[0]
    assert lines[start + 1].strip() == "```sh", "the production-steps marker must precede a sh block"
    end = lines.index("```", start + 2)
    return [
        line.strip() for line in lines[start + 2 : end] if line.strip() and not line.strip().startswith("#")
    ]


def test_readme_production_block_is_found():
    commands = production_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert any("collectstatic --noinput" in command for command in commands)
    assert commands[-1].startswith(".venv/bin/gunicorn ")


def copy_tracked_files(destination: Path) -> None:
    """The files ``git ls-files`` lists, with the contents of the working tree: a clean checkout of
    the code as it is now, without ignored or untracked files (static files, database, media)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def throwaway_database():
    """A database of its own on the test run's PostgreSQL server, dropped afterwards."""
    with copies.throwaway_database("prodstart") as database:
        yield database


@pytest.fixture
def checkout():
    """A fresh copy of the tracked files, with this test run's virtualenv as its ``.venv``."""
    if subprocess.run(["git", "rev-parse"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout: the tracked files are unknown")
    with copies.temporary_copy("credit-prodstart-") as directory:
        copy_tracked_files(directory)
        yield directory


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


class Browser:
    """Plain HTTP with a cookie jar, as a browser without JavaScript."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # straight to the loopback port, whatever HTTP_PROXY says
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def fetch(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()


def wait_until_serving(browser: Browser, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            browser.fetch("/")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.mark.slow
def test_production_steps_of_the_readme_serve_home_profile_and_report(checkout, throwaway_database):
    commands = production_block((checkout / "README.md").read_text(encoding="utf-8"))
    exported = [match[1] for command in commands if (match := re.match(r"export ([A-Z_]+)=", command))]
    install = [command for command in commands if "pip install" in command]
    *steps, serve = [
        command for command in commands if not command.startswith("export ") and command not in install
    ]
    assert len(install) == 1 and serve.startswith(".venv/bin/gunicorn ")

    # Step 1, the settings: the variables the README exports, with values for this machine.
    readme_settings = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ID_HASH_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": throwaway_database["url"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_BACKEND": "database",
    }
    assert sorted(exported) == sorted(readme_settings), "the README's settings changed: update this test"
    port = free_loopback_port()
    environment = copies.base_environment(
        **readme_settings,
        # Documented in the README's Configuration: plain HTTP on the loopback interface, two workers.
        SECURE_COOKIES="0",
        WEB_CONCURRENCY="2",
        # gunicorn's own way to add options to its command line.
        GUNICORN_CMD_ARGS=f"--bind 127.0.0.1:{port}",
    )
    assert "DEBUG" not in environment

    outputs = [run_step(command, cwd=checkout, env=environment) for command in steps]
    assert (checkout / "staticfiles" / "staticfiles.json").exists()
    assert "portal.E001" not in "".join(outputs)

    # Not a production step: a few synthetic enterprises to look at.
    run_step(
        ".venv/bin/python manage.py generate_demo_data --enterprises 3 --persons 6 --seed 1",
        cwd=checkout,
        env=environment,
    )
    with server_connection(throwaway_database["conf"], throwaway_database["name"]) as connection:
        [uscc] = connection.execute("SELECT uscc FROM registry_enterprise ORDER BY uscc LIMIT 1").fetchone()

    log = checkout / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            ["bash", "-c", f"exec {serve}"],
            cwd=checkout,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        wait_until_serving(browser, server, log)

        status, content_type, body = browser.fetch("/")
        assert status == 200, log.read_text()
        assert content_type.startswith("text/html")
        [stylesheet] = re.findall(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
        status, content_type, _css = browser.fetch(stylesheet.decode())
        assert (status, content_type.split(";")[0]) == (200, "text/css")

        status, content_type, body = browser.fetch(f"/enterprises/{uscc}/")
        assert status == 200, log.read_text()
        assert uscc.encode() in body
        [token] = re.findall(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[:1]

        status, content_type, pdf = browser.fetch(
            f"/enterprises/{uscc}/report/", data={"csrfmiddlewaretoken": token.decode()}
        )
        assert status == 200, pdf[:2000]
        assert content_type == "application/pdf"
        assert pdf.startswith(b"%PDF")
    finally:
        stop(server)
