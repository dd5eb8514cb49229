import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from accounts.models import EnterpriseMembership
from core.throttle import MAX_FAILURES
from portal.models import Notice
from portal.services.accounts import account_signup
from registry.models import AuditEntry, OutboundMail
from tests.factories import EnterpriseFactory
from tests.portal.account_helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _link_in(mail: OutboundMail) -> str:
    return re.search(r"https?://\S+", mail.body).group(0)


def test_password_validators_require_ten_characters():
    from django.conf import settings

    validators = {item["NAME"].rsplit(".", 1)[1]: item for item in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] == 10
    assert {"CommonPasswordValidator", "NumericPasswordValidator", "UserAttributeSimilarityValidator"} <= set(
        validators
    )


def test_signup_verify_and_sign_in(client):
    response = client.post(
        reverse("portal:signup"),
        {"email": "Boss@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:signup-done")
    user = User.objects.get(username="boss@example.com")
    assert not user.is_active and user.email == "boss@example.com"
    assert AuditEntry.objects.filter(object_pk=str(user.pk), action="create").exists()
    mail = OutboundMail.objects.get(to="boss@example.com")
    link = _link_in(mail)

    # Not verified yet: signing in is refused with a clear message.
    response = client.post(reverse("portal:login"), {"username": "boss@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "verify your e-mail address first" in response.content.decode()

    response = client.get(link.split("testserver", 1)[1])
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active

    response = client.post(reverse("portal:login"), {"username": "BOSS@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:account")
    page = client.get(reverse("portal:account")).content.decode()
    assert "My account" in page and "Sign out" in page


def test_weak_password_and_taken_address_are_refused(client):
    response = client.post(
        reverse("portal:signup"), {"email": "a@example.com", "password1": "short1", "password2": "short1"}
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()
    response = client.post(
        reverse("portal:signup"),
        {"email": "a@example.com", "password1": "1234567890123", "password2": "1234567890123"},
    )
    assert "entirely numeric" in response.content.decode()
    assert not User.objects.filter(username="a@example.com").exists()
    make_user("taken@example.com")
    with pytest.raises(Exception, match="already exists"):
        account_signup(email="TAKEN@example.com", password=PASSWORD, base_url="http://testserver/")


def test_bad_or_tampered_verification_link_is_refused(client):
    user = account_signup(email="x@example.com", password=PASSWORD, base_url="http://testserver/")
    link = _link_in(OutboundMail.objects.get(to="x@example.com"))
    response = client.get(link.rstrip("/") + "x/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_password_reset_by_mail(client):
    user = make_user("reset@example.com")
    response = client.post(reverse("portal:password-reset"), {"email": "reset@example.com"})
    assert response["Location"] == reverse("portal:password-reset-done")
    mail = OutboundMail.objects.get(to="reset@example.com")
    path = _link_in(mail).split("testserver", 1)[1]
    response = client.get(path)
    assert response.status_code == 302  # Django swaps the token for a session marker
    response = client.post(
        response["Location"],
        {"new_password1": "a-brand-new-secret-7", "new_password2": "a-brand-new-secret-7"},
    )
    assert response["Location"] == reverse("portal:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret-7")
    # Nobody is told whether an address has an account.
    response = client.post(reverse("portal:password-reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("portal:password-reset-done")
    assert not OutboundMail.objects.filter(to="nobody@example.com").exists()


def test_sign_in_is_throttled_after_five_failures(client):
    make_user("target@example.com")
    for _attempt in range(MAX_FAILURES):
        response = client.post(
            reverse("portal:login"), {"username": "target@example.com", "password": "wrong"}
        )
        assert "is wrong" in response.content.decode()
    # Even the right password is refused now, with a clear message.
    response = client.post(reverse("portal:login"), {"username": "target@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_is_throttled_by_ip_across_addresses(client):
    for number in range(MAX_FAILURES):
        client.post(reverse("portal:login"), {"username": f"u{number}@example.com", "password": "wrong"})
    make_user("fresh@example.com")
    response = client.post(reverse("portal:login"), {"username": "fresh@example.com", "password": PASSWORD})
    assert "Too many failed attempts" in response.content.decode()


def test_lockout_ends_after_fifteen_minutes(monkeypatch):
    from core import throttle

    for _attempt in range(MAX_FAILURES):
        throttle.throttle_failure("login", email="t@example.com", now=1000.0)
    assert throttle.throttle_locked("login", email="t@example.com")
    # Failures older than the window do not add up.
    for offset in range(MAX_FAILURES - 1):
        throttle.throttle_failure("login", email="old@example.com", now=1000.0 + offset)
    throttle.throttle_failure("login", email="old@example.com", now=1000.0 + throttle.WINDOW_SECONDS + 10)
    assert not throttle.throttle_locked("login", email="old@example.com")


def test_sign_out_is_a_post(client):
    client.force_login(make_user("out@example.com"))
    assert client.get(reverse("portal:logout")).status_code == 405
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_header_shows_sign_in_for_visitors(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:login") in page and "Sign out" not in page


def test_dashboard_lists_own_enterprises_only(client):
    mine, other = EnterpriseFactory(name="我的有限公司"), EnterpriseFactory(name="别人的有限公司")
    user = make_user("me@example.com")
    EnterpriseMembership.objects.create(user=user, enterprise=mine, role="administrator")
    client.force_login(user)
    page = client.get(reverse("portal:account")).content.decode()
    assert "我的有限公司" in page and "别人的有限公司" not in page
    assert reverse("portal:company", kwargs={"uscc": mine.uscc}) in page
    assert other.uscc not in page


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("portal:account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@override_settings(DEBUG=True)
def test_demo_company_user_command():
    enterprise = EnterpriseFactory()
    call_command("create_demo_company_user")
    user = User.objects.get(username="company@example.com")
    assert user.check_password("company-demo-2026") and user.is_active
    assert EnterpriseMembership.objects.get(user=user).enterprise == enterprise
    call_command("create_demo_company_user")  # a second run resets, never duplicates
    assert EnterpriseMembership.objects.filter(user=user).count() == 1
    assert Notice.objects.filter(user=user).count() == 0  # the enterprise has no list entries


def test_demo_company_user_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_company_user")
