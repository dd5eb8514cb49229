import base64
import json
from urllib.parse import parse_qs, urlparse

import pytest

from tests.factories import EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db
URL = "/api/v1/enterprises/"


def cursor_of(link: str) -> str:
    return parse_qs(urlparse(link).query)["cursor"][0]


@pytest.fixture
def enterprises():
    return sorted(EnterpriseFactory(uscc=make_uscc(serial=number)).uscc for number in range(1, 8))


def test_cursors_walk_forward_and_back_without_counting(client, enterprises, django_assert_max_num_queries):
    seen, link, pages = [], f"{URL}?page_size=3", []
    while link:
        with django_assert_max_num_queries(5):
            body = client.get(link).json()
        pages.append(body)
        seen += [row["uscc"] for row in body["results"]]
        link = body["next"]
    assert seen == enterprises and len(pages) == 3
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    back = client.get(pages[-1]["previous"]).json()
    assert [row["uscc"] for row in back["results"]] == enterprises[3:6]
    first = client.get(back["previous"]).json()
    assert [row["uscc"] for row in first["results"]] == enterprises[:3] and first["previous"] is None
    assert "page_size=3" in first["next"]


def test_the_unfiltered_list_estimates_from_table_statistics(client, enterprises):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
    body = client.get(URL).json()
    assert body["estimated_count_basis"] == "table_statistics"
    assert body["estimated_count"] >= 0 and "count" not in body


@pytest.mark.parametrize("mangle", ["flip", "swap", "garbage", "empty-signature"])
def test_a_tampered_cursor_is_a_400_naming_it(client, enterprises, mangle):
    cursor = cursor_of(client.get(f"{URL}?page_size=2").json()["next"])
    body, signature = cursor.split(".")
    if mangle == "flip":
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        payload["k"] = ["0"]
        body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
        cursor = f"{body}.{signature}"
    elif mangle == "swap":
        cursor = f"{body}.{signature[::-1]}"
    elif mangle == "garbage":
        cursor = "not-a-cursor"
    else:
        cursor = f"{body}."
    response = client.get(URL, {"cursor": cursor})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "cursor" in error["fields"] and "cursor is invalid" in error["fields"]["cursor"][0]


def test_a_cursor_of_another_endpoint_is_refused(client, enterprises):
    cursor = cursor_of(client.get(f"{URL}?page_size=2").json()["next"])
    response = client.get("/api/v1/list-entries/", {"cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json()["error"]["fields"]


def test_page_numbers_are_refused_with_a_pointer_to_the_cursor(client):
    response = client.get(URL, {"page": "2"})
    assert response.status_code == 400
    assert "next" in response.json()["error"]["fields"]["page"][0]


def test_the_schema_documents_the_envelope(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/enterprises/"]["get"]
    assert {"cursor", "page_size"} <= {parameter["name"] for parameter in operation["parameters"]}
    envelope = json.dumps(schema["components"]["schemas"])
    assert "estimated_count_basis" in envelope and "table_statistics" in envelope
