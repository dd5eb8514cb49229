import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOAD_SETTINGS = "import config.settings as s; print(s.DATABASES['default']['NAME'], s.DEBUG)"


def load_settings(**env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ID_HASH_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"SECRET_KEY": "short"},
        {"SECRET_KEY": "dev-only-secret-key-not-for-production", "ID_HASH_KEY": "k" * 40},
        {"SECRET_KEY": "s" * 50},
    ],
)
def test_production_refuses_to_start_without_real_secrets(env):
    result = load_settings(DATABASE_URL="postgres://user:pw@db.invalid:5432/credit", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "random secret of at least 32 characters" in result.stderr


def test_production_starts_with_real_secrets_and_database_url():
    result = load_settings(
        DATABASE_URL="postgres://user:pw@db.invalid:5432/credit",
        SECRET_KEY="s" * 50,
        ID_HASH_KEY="k" * 50,
        ALLOWED_HOSTS="credit.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["credit", "False"]


def test_tests_run_on_postgresql(db):
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 140000
