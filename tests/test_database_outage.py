"""A database that cannot be reached: a fast, clean 503 (page or JSON), never a traceback or a hang;
a write cut off by a lost connection leaves nothing half-done, and the next request reconnects."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, connections
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory

from config.unavailable import RETRY_AFTER_SECONDS, server_error
from imports.models import ImportRun
from imports.services import import_run_confirm, import_run_start
from registry.models import Enterprise
from tests.imports.test_imports import clerk, csv_upload, enterprise_row, hefei

PAGES = ["/", "/search/?q=合肥", "/defaulters/?q=张三", "/lists/", "/enterprises/91340100MA2N0X5P1K/"]
API = [
    "/api/v1/enterprises/search/?q=合肥",
    "/api/v1/defaulters/?q=张三",
    "/api/v1/restrictions/?uscc=91340100MA2N0X5P1K",
]


def database_gone(*args, **kwargs):
    raise OperationalError('connection to server on socket "/run/pg/.s.PGSQL.5432" failed: No such file')


@pytest.fixture
def outage():
    """Every statement fails as when the server is down; the page of the outage may run none."""
    with (
        mock.patch.object(CursorWrapper, "execute", database_gone),
        mock.patch.object(CursorWrapper, "executemany", database_gone),
    ):
        yield


@pytest.fixture
def web_client(settings):
    settings.DEBUG = False
    client = Client()
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("language", "heading", "leak"),
    [("en", "Service briefly unavailable", "服务"), ("zh-hans", "服务暂时不可用", "unavailable")],
)
def test_pages_answer_a_503_page_in_the_readers_language(web_client, outage, path, language, heading, leak):
    response = web_client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert heading in body
    assert f'lang="{language}"' in body
    assert leak not in body
    assert "Traceback" not in body and "OperationalError" not in body and ".s.PGSQL" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", API)
def test_the_api_answers_a_503_json_error(web_client, outage, path):
    response = web_client.get(path, HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION="Bearer cpk_" + "x" * 43)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    error = response.json()["error"]
    assert error["status"] == 503 and error["code"] == "database_unavailable"
    assert "database cannot be reached" in error["message"]
    assert ".s.PGSQL" not in response.content.decode()


class FailsBeforeTheView:
    """Stands in for a middleware that reads the database (a session, a cached rate limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_an_outage_met_outside_a_view_is_a_503_too(web_client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_database_outage.FailsBeforeTheView"]
    response = web_client.get("/lists/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "Service briefly unavailable" in response.content.decode()
    api = web_client.get("/api/v1/lists/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 503 and api.json()["error"]["code"] == "database_unavailable"


def test_other_server_errors_stay_500():
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500


def test_connections_are_checked_and_give_up_connecting_within_seconds():
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0
    assert 0 < database["OPTIONS"]["connect_timeout"] <= 5


def _terminate(pid: int) -> None:
    """Kill one server process from a second connection, as a restart of the server does."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lost_connection_is_a_fast_503_and_the_next_request_reconnects(settings):
    settings.DEBUG = False
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.raise_request_exception = False
    assert client.get("/lists/").status_code == 200
    _terminate(connection.connection.info.backend_pid)
    # The server is down: the connection is gone and a new one cannot be opened.
    reachable_host = connection.settings_dict["HOST"]
    connection.settings_dict["HOST"] = "/nonexistent-socket-dir"
    try:
        started = time.monotonic()
        response = client.get("/lists/")
        assert response.status_code == 503
        close_old_connections()  # what the server does when a request ends and the next starts
        response = client.get("/api/v1/lists/")
        assert response.status_code == 503
        assert time.monotonic() - started < 5
    finally:
        connection.settings_dict["HOST"] = reachable_host
    # The server is back: the broken connection is dropped and a new one opened, no restart.
    close_old_connections()
    assert client.get("/lists/").status_code == 200
    assert client.get("/api/v1/lists/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_cut_off_by_a_lost_connection_writes_nothing_and_can_be_written_again():
    from imports import services

    user = clerk(hefei())
    rows = [enterprise_row(name=f"合肥断线{n}科技有限公司") for n in range(3)]
    run = import_run_start(kind="enterprises", uploaded_file=csv_upload(rows), actor=user)
    assert run.status == ImportRun.Status.READY
    real_audit = services._audit

    def audit_after_the_server_went_away(*args, **kwargs):
        # Every row is written in the transaction by now; the server goes before the commit.
        assert Enterprise.objects.count() == 3
        _terminate(connection.connection.info.backend_pid)
        return real_audit(*args, **kwargs)

    with (
        mock.patch.object(services, "_audit", audit_after_the_server_went_away),
        pytest.raises(OperationalError),
    ):
        import_run_confirm(run=run, actor=user)
    connection.close()
    assert Enterprise.objects.count() == 0
    run.refresh_from_db()
    assert run.status == ImportRun.Status.WRITING and run.result == {}
    # Written again once the database is back: every row, once.
    run = services.import_run_write(run=run)
    assert run.status == ImportRun.Status.DONE
    assert Enterprise.objects.filter(name__startswith="合肥断线").count() == 3


def test_a_database_url_gets_the_same_fail_fast_settings_and_the_web_workers_a_statement_timeout():
    show = (
        "import json, config.settings as s; d = s.DATABASES['default']; "
        "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']]))"
    )
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "postgres://user:pw@db.invalid:5432/credit",
        "DATABASE_STATEMENT_TIMEOUT": "30000",
    }
    result = subprocess.run(
        [sys.executable, "-c", show],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    max_age, health_checks, options = json.loads(result.stdout)
    assert max_age == 60 and health_checks is True
    assert options["connect_timeout"] == 3
    assert "statement_timeout=30000" in options["options"]
    gunicorn_config = (Path(__file__).resolve().parent.parent / "config" / "gunicorn.py").read_text()
    assert 'setdefault("DATABASE_STATEMENT_TIMEOUT", "30000")' in gunicorn_config
