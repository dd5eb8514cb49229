import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection

from core import throttle
from portal.checks import shared_cache_check

DATABASE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
}
MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ROOT = Path(__file__).resolve().parents[2]


def test_deployment_check_warns_when_each_worker_would_count_on_its_own(settings):
    settings.CACHES = MEMORY_CACHE
    [warning] = shared_cache_check()
    assert warning.id == "portal.W001" and "CACHE_BACKEND=database" in warning.hint
    assert "portal.W001" in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.CACHES = DATABASE_CACHE
    assert shared_cache_check() == []


@pytest.mark.django_db
def test_lockouts_in_the_database_cache_hold_for_every_worker(settings, monkeypatch):
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    for _attempt in range(throttle.MAX_FAILURES):
        throttle.throttle_failure("signin", email="clerk@example.com")
    # Another worker process: its own cache backend object, the same table.
    monkeypatch.setattr(throttle, "cache", caches.create_connection("default"))
    assert throttle.throttle_locked("signin", email="clerk@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM portal_cache")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.parametrize(("value", "accepted"), [("database", True), ("memory", True), ("redis", False)])
def test_cache_backend_setting_is_checked(value, accepted):
    environment = {**os.environ, "DEBUG": "1", "CACHE_BACKEND": value}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.CACHES['default']['BACKEND'])"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode == 0) is accepted
    if not accepted:
        assert "CACHE_BACKEND must be 'memory' or 'database'" in result.stderr
