"""``manage.py check --deploy`` with the production settings has nothing to say (docs/security.md)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# Variables a developer's shell may hold that would change which settings load.
UNSET = {
    "DEBUG",
    "SECRET_KEY",
    "ID_HASH_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CACHE_BACKEND",
    "STATIC_ROOT",
    "HTTPS_ONLY",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "PROXY_SSL_HEADER",
}


def production_environment(static_root: Path, **extra: str) -> dict[str, str]:
    """The README's production settings (DEBUG unset), with a static root holding a manifest."""
    environment = {key: value for key, value in os.environ.items() if key not in UNSET}
    environment.update(
        # The production settings module, whatever module the test run itself uses.
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(48),
        ID_HASH_KEY=secrets.token_urlsafe(48),
        # Never connected to: the deployment checks read settings, not the database.
        DATABASE_URL="postgres://credit:secret@db.invalid:5432/credit",
        ALLOWED_HOSTS="credit.example.org",
        CACHE_BACKEND="database",
        STATIC_ROOT=str(static_root),
        **extra,
    )
    return environment


def run_manage(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    # A process of its own, so the settings load fresh from these variables.
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


def static_root_with_manifest(tmp_path: Path) -> Path:
    # What collectstatic leaves for the check that reads it (portal.E001): the manifest.
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": ""}))
    return tmp_path


def test_deploy_check_with_production_settings_gives_no_warning(tmp_path):
    environment = production_environment(static_root_with_manifest(tmp_path))
    result = run_manage(environment, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_redirect_to_https_and_send_hsts(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    environment = production_environment(static_root_with_manifest(tmp_path))
    result = run_manage(environment, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True 31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_plain_http_on_the_loopback_turns_the_https_rules_off(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    for variable in ("HTTPS_ONLY", "SECURE_COOKIES"):
        environment = production_environment(static_root_with_manifest(tmp_path), **{variable: "0"})
        result = run_manage(environment, "shell", "--no-imports", "-c", script)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "False 0 False False", variable


def test_no_proxy_header_is_trusted_when_there_is_no_proxy(tmp_path):
    environment = production_environment(static_root_with_manifest(tmp_path), PROXY_SSL_HEADER="")
    result = run_manage(
        environment,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"
