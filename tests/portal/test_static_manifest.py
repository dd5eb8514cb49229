"""With DEBUG off, a missing static files manifest (collectstatic not run) is reported, and the
application refuses to start, instead of every page failing with a server error."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from portal.checks import static_manifest_check

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def write_manifest(static_root: Path) -> None:
    (static_root / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": ""}))


def test_deployment_check_errors_when_the_manifest_is_missing(settings, tmp_path):
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path
    [error] = static_manifest_check()
    assert error.id == "portal.E001" and error.is_serious()
    assert str(tmp_path / "staticfiles.json") in error.msg
    assert "collectstatic --noinput" in error.hint
    assert "portal.E001" in {message.id for message in run_checks(include_deployment_checks=True)}
    write_manifest(tmp_path)
    assert static_manifest_check() == []


def test_deployment_check_ignores_storage_without_a_manifest(settings, tmp_path):
    settings.STORAGES = {
        **MANIFEST_STORAGE,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path
    assert static_manifest_check() == []


def test_collectstatic_itself_is_not_blocked_by_the_check(settings, tmp_path):
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path
    assert "portal.E001" not in {message.id for message in run_checks(tags=["staticfiles"])}


def production_environment(static_root: Path) -> dict:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "SECRET_KEY": "s" * 50,
        "ID_HASH_KEY": "k" * 50,
        "DATABASE_URL": "postgres://user:pw@db.invalid:5432/credit",
        "ALLOWED_HOSTS": "credit.example.org",
        "STATIC_ROOT": str(static_root),
    }


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_application_refuses_to_start_without_the_manifest(module, tmp_path):
    def load():
        return subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            cwd=ROOT,
            env=production_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )

    refused = load()
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert f"{tmp_path / 'staticfiles.json'} is missing" in refused.stderr
    assert "collectstatic" in refused.stderr
    write_manifest(tmp_path)
    started = load()
    assert started.returncode == 0, started.stderr
