import pytest

from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_an_unchanged_record_is_a_304_with_the_rate_limit_headers(client):
    enterprise = EnterpriseFactory(name="旧名称有限公司")
    url = f"/api/v1/enterprises/{enterprise.uscc}/"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["X-Ratelimit-Remaining"] == "118"
    enterprise.name = "新名称有限公司"
    enterprise.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_errors_get_no_etag(client):
    response = client.get("/api/v1/enterprises/91340100MA2NOTREAL/")
    assert response.status_code >= 400 and not response.has_header("ETag")
