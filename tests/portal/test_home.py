import pytest

from tests.factories import EnterpriseFactory


@pytest.mark.django_db
def test_home_shows_registry_size_and_links(client):
    EnterpriseFactory.create_batch(3)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = response.content.decode()
    assert "about 3 enterprises" in content
    assert "/api/v1/docs/" in content
    assert "/admin/" in content
