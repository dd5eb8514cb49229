import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ActivationCode, AgencyMembership, EnterpriseMembership
from accounts.services import (
    ClaimRefused,
    activation_code_hash,
    activation_code_issue,
    enterprise_claim,
    membership_remove,
)
from core.throttle import MAX_FAILURES
from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_code_is_stored_only_as_a_hash_and_first_code_makes_an_administrator():
    enterprise = EnterpriseFactory()
    first, code = activation_code_issue(enterprise=enterprise, role="filer", issued_by=SYSTEM)
    assert first.role == "administrator"
    assert code not in first.code_hash and first.code_hash == activation_code_hash(code)
    assert first.expires_at - first.issued_at == dt.timedelta(days=60)
    second, _code = activation_code_issue(enterprise=enterprise, role="filer", issued_by=SYSTEM)
    assert second.role == "filer"
    assert AuditEntry.objects.filter(object_pk=str(first.pk), action="create").exists()


def test_claim_success_makes_a_member_and_uses_the_code(client):
    enterprise = EnterpriseFactory()
    _row, code = activation_code_issue(enterprise=enterprise, issued_by=SYSTEM)
    user = make_user("claimer@example.com")
    client.force_login(user)
    response = client.post(reverse("portal:claim"), {"uscc": enterprise.uscc.lower(), "code": code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:company", kwargs={"uscc": enterprise.uscc})
    membership = EnterpriseMembership.objects.get(user=user, enterprise=enterprise)
    assert membership.role == "administrator"
    row = ActivationCode.objects.get()
    assert row.used_by == user and row.used_at is not None


def test_claim_wrong_expired_and_used_codes_are_refused(client):
    enterprise, other = EnterpriseFactory(), EnterpriseFactory()
    user = make_user("c@example.com")
    _row, code = activation_code_issue(enterprise=enterprise, issued_by=SYSTEM)
    client.force_login(user)
    # A code for another enterprise, and a made-up code, read the same.
    for uscc, attempt in [(other.uscc, code), (enterprise.uscc, "AAAA-BBBB-CCCC")]:
        response = client.post(reverse("portal:claim"), {"uscc": uscc, "code": attempt})
        assert response.status_code == 200
        assert "does not match" in response.content.decode()
    assert not EnterpriseMembership.objects.exists()

    enterprise_claim(user=make_user("first@example.com"), uscc=enterprise.uscc, code=code)
    response = client.post(reverse("portal:claim"), {"uscc": enterprise.uscc, "code": code})
    assert "already been used" in response.content.decode()

    expired, old_code = activation_code_issue(enterprise=other, issued_by=SYSTEM)
    past = timezone.now() - dt.timedelta(days=61)
    ActivationCode.objects.filter(pk=expired.pk).update(
        issued_at=past, expires_at=past + dt.timedelta(days=60)
    )
    with pytest.raises(ClaimRefused, match="expired"):
        enterprise_claim(user=user, uscc=other.uscc, code=old_code)
    assert not EnterpriseMembership.objects.filter(user=user).exists()


def test_claim_is_throttled(client):
    enterprise = EnterpriseFactory()
    _row, code = activation_code_issue(enterprise=enterprise, issued_by=SYSTEM)
    client.force_login(make_user("guess@example.com"))
    for _attempt in range(MAX_FAILURES):
        client.post(reverse("portal:claim"), {"uscc": enterprise.uscc, "code": "WRONG-CODE-0000"})
    response = client.post(reverse("portal:claim"), {"uscc": enterprise.uscc, "code": code})
    assert "Too many failed attempts" in response.content.decode()
    assert not EnterpriseMembership.objects.exists()


def test_claim_enforces_csrf():
    enterprise = EnterpriseFactory()
    _row, code = activation_code_issue(enterprise=enterprise, issued_by=SYSTEM)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("csrf@example.com"))
    response = client.post(reverse("portal:claim"), {"uscc": enterprise.uscc, "code": code})
    assert response.status_code == 403
    assert not EnterpriseMembership.objects.exists()


def test_claim_needs_sign_in(client):
    response = client.get(reverse("portal:claim"))
    assert response.status_code == 302


def test_used_fields_all_or_none_in_form_and_database():
    row, _code = activation_code_issue(enterprise=EnterpriseFactory(), issued_by=SYSTEM)
    row.used_at = timezone.now()
    with pytest.raises(ValidationError, match="both when and by whom"):
        row.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivationCode.objects.filter(pk=row.pk).update(used_at=timezone.now())


def test_clerks_issue_codes_only_for_their_agency():
    agency, elsewhere = AgencyFactory(), AgencyFactory()
    clerk = make_user("clerk@example.com")
    clerk.is_staff = True
    clerk.save()
    AgencyMembership.objects.create(user=clerk, agency=agency)
    clerk.refresh_from_db()
    ours = EnterpriseFactory(registration_authority=agency)
    theirs = EnterpriseFactory(registration_authority=elsewhere)
    row, _code = activation_code_issue(enterprise=ours, issued_by=clerk)
    assert row.issued_by == clerk
    with pytest.raises(PermissionDenied):
        activation_code_issue(enterprise=theirs, issued_by=clerk)


def test_admin_add_form_shows_the_code_once(client):
    from django.contrib.auth.models import Permission

    agency = AgencyFactory()
    clerk = make_user("desk@example.com")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_activationcode", "view_activationcode"])
    )
    AgencyMembership.objects.create(user=clerk, agency=agency)
    ours = EnterpriseFactory(registration_authority=agency)
    theirs = EnterpriseFactory()
    client.force_login(clerk)
    url = reverse("admin:accounts_activationcode_add")
    refused = client.post(url, {"enterprise": theirs.pk, "role": "filer", "valid_days": 60})
    assert refused.status_code == 200 and not ActivationCode.objects.exists()
    response = client.post(url, {"enterprise": ours.pk, "role": "filer", "valid_days": 60}, follow=True)
    page = response.content.decode()
    row = ActivationCode.objects.get()
    code = page.split("): ", 1)[1].split(" ", 1)[0]
    assert row.code_hash == activation_code_hash(code)
    assert "printed on a letter" in page
    listing = client.get(reverse("admin:accounts_activationcode_changelist")).content.decode()
    assert code not in listing


def test_administrator_sees_and_removes_other_users(client):
    enterprise, other = EnterpriseFactory(), EnterpriseFactory()
    admin, filer = make_user("admin@example.com"), make_user("filer@example.com")
    member(admin, enterprise, "administrator")
    membership = member(filer, enterprise)
    outsider_membership = member(make_user("outside@example.com"), other)
    client.force_login(admin)
    page = client.get(reverse("portal:company-members", kwargs={"uscc": enterprise.uscc})).content.decode()
    assert "filer@example.com" in page and "outside@example.com" not in page
    # Another enterprise's user cannot be removed through this enterprise.
    response = client.post(
        reverse("portal:member-remove", kwargs={"uscc": enterprise.uscc, "pk": outsider_membership.pk})
    )
    assert response.status_code == 404
    client.post(reverse("portal:member-remove", kwargs={"uscc": enterprise.uscc, "pk": membership.pk}))
    assert not EnterpriseMembership.objects.filter(pk=membership.pk).exists()
    assert EnterpriseMembership.objects.filter(pk=outsider_membership.pk).exists()


def test_filers_cannot_remove_users(client):
    enterprise = EnterpriseFactory()
    filer, admin = make_user("f@example.com"), make_user("a@example.com")
    member(filer, enterprise)
    admin_membership = member(admin, enterprise, "administrator")
    client.force_login(filer)
    response = client.post(
        reverse("portal:member-remove", kwargs={"uscc": enterprise.uscc, "pk": admin_membership.pk})
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        membership_remove(membership=admin_membership, actor=filer)
    assert EnterpriseMembership.objects.filter(pk=admin_membership.pk).exists()
