"""Browser fixtures: one Chromium for the run of browser tests, a fresh context per page, the live server.

Playwright's sync API keeps an event loop running in the test thread while the browser is open, so
Django's guard against database access from async code is lifted meanwhile (the factories and the
transactional database's flush run in that thread), and the thread keeps its database connections.
Chromium is stopped, and the guard restored, after the last browser test, so the tests that follow
run as usual.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from tests.browser.support import CHROMIUM_ARGS, browser_tests_decision, chromium_path

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 780}
TIMEOUT_MS = 15_000  # generous: CI machines are busy
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


class _Chromium:
    def __init__(self):
        self.playwright = None
        self.browser = None
        self.saved_env = None

    def get(self):
        if self.browser is None:
            self.saved_env = os.environ.get(ASYNC_UNSAFE)
            os.environ[ASYNC_UNSAFE] = "true"
            outside = {alias: connections[alias] for alias in connections}
            self.playwright = sync_playwright().start()
            # With an event loop running, Django keeps database connections per async context, so
            # the test thread would get fresh connections without the test database's serialized
            # contents. Give it the connections it had before the loop started.
            for alias, connection in outside.items():
                setattr(connections._connections, alias, connection)
            try:
                self.browser = self.playwright.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
            except Exception:
                self.stop()
                raise
        return self.browser

    def stop(self):
        if self.playwright is None:
            return
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            self.playwright.stop()
            self.browser = self.playwright = None
            if self.saved_env is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self.saved_env


_CHROMIUM = _Chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        _CHROMIUM.stop()
    return result


def pytest_sessionfinish(session, exitstatus):
    _CHROMIUM.stop()  # after an interrupted run


@pytest.fixture
def browser():
    decision = browser_tests_decision(environ=os.environ, chromium_exists=Path(chromium_path()).exists())
    if decision.action == "skip":
        pytest.skip(decision.reason)
    if decision.action == "fail":
        pytest.fail(decision.reason, pytrace=False)
    expect.set_options(timeout=TIMEOUT_MS)
    return _CHROMIUM.get()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context: ``new_page(locale="zh-CN", viewport=PHONE)``."""
    contexts = []

    def open_page(*, locale: str = "en-US", viewport: dict | None = None):
        context = browser.new_context(
            locale=locale, viewport=viewport or DESKTOP, base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def signed_in_page(new_page, live_server):
    """A page whose browser is already signed in as ``user`` (a session made by Django's test
    client, its cookie handed to the browser): ``signed_in_page(user, locale="zh-CN")``."""
    from django.conf import settings
    from django.test import Client

    def open_page(user, **options):
        client = Client()
        client.force_login(user)
        page = new_page(**options)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return open_page
