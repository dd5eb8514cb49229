import pytest
from django.contrib.auth import get_user_model

from opendata.models import DeveloperKey
from opendata.services.keys import developer_key_create, key_hash

pytestmark = pytest.mark.django_db
User = get_user_model()
URL = "/account/api-keys/"


@pytest.fixture
def user(client):
    user = User.objects.create_user(
        username="dev@example.com", email="dev@example.com", password="x-Secret-42"
    )
    client.force_login(user)
    return user


def test_signing_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_creating_a_key_shows_it_once(client, user):
    response = client.post(URL, {"name": "nightly sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key.encode() in response.content
    stored = DeveloperKey.objects.get(owner=user)
    assert stored.key_hash == key_hash(key)
    again = client.get(URL)
    assert key.encode() not in again.content
    assert stored.prefix.encode() in again.content and b"nightly sync" in again.content


def test_a_blank_name_is_a_400_naming_the_field(client, user):
    response = client.post(URL, {"name": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not DeveloperKey.objects.exists()


def test_revoking_from_the_page(client, user):
    developer_key, key = developer_key_create(owner=user, name="old")
    response = client.post(f"{URL}{developer_key.pk}/revoke/")
    assert response.status_code == 302
    developer_key.refresh_from_db()
    assert developer_key.revoked_at is not None
    page = client.get(URL)
    assert b"revoked" in page.content
    assert client.get("/api/v1/lists/", HTTP_X_API_KEY=key).status_code == 401


def test_nobody_revokes_anothers_key(client, user):
    other = User.objects.create_user(username="other@example.com", password="x-Secret-42")
    developer_key, _key = developer_key_create(owner=other, name="theirs")
    assert client.post(f"{URL}{developer_key.pk}/revoke/").status_code == 403
    developer_key.refresh_from_db()
    assert developer_key.revoked_at is None


def test_the_page_lists_keys_in_few_queries(client, user, django_assert_max_num_queries):
    for number in range(5):
        developer_key_create(owner=user, name=f"key {number}")
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


def test_the_dashboard_links_to_the_keys(client, user):
    assert URL.encode() in client.get("/account/").content
