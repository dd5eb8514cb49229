import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from blacklists.services import api_client_create
from opendata.models import DeveloperKey
from opendata.services.keys import (
    MAX_ACTIVE_KEYS,
    developer_key_create,
    developer_key_revoke,
    key_hash,
)
from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def user():
    return User.objects.create_user(
        username="dev@example.com", email="dev@example.com", password="x-Secret-42"
    )


def test_a_key_is_shown_once_and_only_its_hash_is_kept(user):
    developer_key, key = developer_key_create(owner=user, name="  my scraper ")
    assert key.startswith("odk_") and len(key) > 40
    assert developer_key.name == "my scraper"
    assert developer_key.key_hash == key_hash(key) and key not in developer_key.key_hash
    assert key.startswith(developer_key.prefix) and len(developer_key.prefix) == 8
    assert AuditEntry.objects.filter(object_pk=str(developer_key.pk), action="create").count() == 1


def test_a_key_needs_a_name(user):
    with pytest.raises(ValidationError) as error:
        developer_key_create(owner=user, name="   ")
    assert "name" in error.value.message_dict
    assert not DeveloperKey.objects.exists()


def test_the_database_refuses_a_hash_that_is_not_sha256(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeveloperKey.objects.create(
            owner=user, name="x", prefix="odk_", key_hash="plain", created_at=timezone.now()
        )


def test_active_keys_are_capped(user):
    for number in range(MAX_ACTIVE_KEYS):
        developer_key_create(owner=user, name=f"key {number}")
    with pytest.raises(ValidationError):
        developer_key_create(owner=user, name="one too many")


def test_revoking_is_audited_and_only_by_the_owner(user):
    developer_key, _key = developer_key_create(owner=user, name="k")
    other = User.objects.create_user(username="other@example.com", password="x-Secret-42")
    with pytest.raises(PermissionDenied):
        developer_key_revoke(owner=other, key_id=developer_key.pk)
    revoked = developer_key_revoke(owner=user, key_id=developer_key.pk)
    assert revoked.revoked_at is not None
    assert AuditEntry.objects.filter(object_pk=str(developer_key.pk), action="update").count() == 1
    developer_key_revoke(owner=user, key_id=developer_key.pk)  # again: nothing changes
    assert AuditEntry.objects.filter(object_pk=str(developer_key.pk), action="update").count() == 1


def _detail(client, enterprise, **headers):
    return client.get(f"/api/v1/enterprises/{enterprise.uscc}/", **headers)


def test_a_key_works_as_bearer_or_x_api_key_and_is_marked_used(client, user):
    enterprise = EnterpriseFactory()
    developer_key, key = developer_key_create(owner=user, name="k")
    assert _detail(client, enterprise, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    response = _detail(client, enterprise, HTTP_X_API_KEY=key)
    assert response.status_code == 200
    assert response["RateLimit-Policy"] == '"key";q=600;w=300'
    developer_key.refresh_from_db()
    assert developer_key.last_used_at is not None


def test_a_key_does_not_give_its_owner_staff_rights(client):
    staff = User.objects.create_user(username="clerk@example.com", password="x-Secret-42", is_staff=True)
    _developer_key, key = developer_key_create(owner=staff, name="k")
    enterprise = EnterpriseFactory()
    keyed = _detail(client, enterprise, HTTP_X_API_KEY=key)
    client.force_login(staff)
    signed_in = _detail(client, enterprise)
    client.logout()
    anonymous = _detail(client, enterprise)
    assert keyed.json() == anonymous.json()
    assert signed_in.json() != anonymous.json()  # the staff view differs; a key never opens it


@pytest.mark.parametrize("how", ["bearer", "header"])
def test_unknown_and_revoked_keys_get_401_naming_the_problem(client, user, how):
    enterprise = EnterpriseFactory()
    developer_key, key = developer_key_create(owner=user, name="k")

    def send(value):
        if how == "bearer":
            return _detail(client, enterprise, HTTP_AUTHORIZATION=f"Bearer {value}")
        return _detail(client, enterprise, HTTP_X_API_KEY=value)

    unknown = send("odk_" + "x" * 43)
    assert unknown.status_code == 401
    assert "not known" in unknown.json()["error"]["message"]
    assert unknown["RateLimit-Policy"] == '"anonymous";q=120;w=60'
    developer_key_revoke(owner=user, key_id=developer_key.pk)
    revoked = send(key)
    assert revoked.status_code == 401
    assert "revoked on" in revoked.json()["error"]["message"]
    assert "X-Ratelimit-Reset" in revoked


def test_agency_client_tokens_keep_working_in_the_agency_tier(client):
    _client, token = api_client_create(actor=SYSTEM, via="command", name="某系统", scopes=["restrictions"])
    enterprise = EnterpriseFactory()
    response = _detail(client, enterprise, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["RateLimit-Policy"] == '"agency";q=6000;w=300'
    assert _detail(client, enterprise, HTTP_AUTHORIZATION="Bearer cpk_nonsense").status_code == 401
