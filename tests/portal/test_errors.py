"""Error pages: plain, friendly, translated, and never a traceback."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from config.urls import handler400
from config.urls import urlpatterns as site_urlpatterns


def explode(request):
    raise RuntimeError("secret internal detail: connection string postgres://user:pw@db")


def forbidden(request):
    raise PermissionDenied("internal permission name")


def suspicious(request):
    raise SuspiciousOperation("internal suspicious detail")


# Test-only URL conf: the whole site plus views that fail.
urlpatterns = [
    path("test-errors/explode/", explode),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/suspicious/", suspicious),
    *site_urlpatterns,
]

URLCONF = "tests.portal.test_errors"


@pytest.fixture
def failing_client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.urls(URLCONF)
@pytest.mark.parametrize(
    ("language", "lang_attribute", "heading"),
    [("en", "en", "Something went wrong on our side"), ("zh-CN", "zh-hans", "本站出现错误")],
)
def test_an_exception_in_a_view_gives_the_plain_500_page(failing_client, language, lang_attribute, heading):
    response = failing_client.get("/test-errors/explode/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    content = response.content.decode()
    assert f'<html lang="{lang_attribute}">' in content
    assert heading in content
    assert 'href="/"' in content
    for leak in ("Traceback", "RuntimeError", "secret internal detail", "postgres://", "File &quot;"):
        assert leak not in content


@pytest.mark.django_db
@pytest.mark.urls(URLCONF)
def test_the_500_page_needs_no_database(failing_client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = failing_client.get("/test-errors/explode/")
    assert response.status_code == 500
    assert "<style>" in response.content.decode()  # standalone: no stylesheet it could fail to load


@pytest.mark.django_db
@pytest.mark.urls(URLCONF)
def test_permission_denied_gives_the_403_page(failing_client):
    response = failing_client.get("/test-errors/forbidden/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    content = response.content.decode()
    assert "You cannot open this page" in content
    assert "internal permission name" not in content
    assert '<main id="main">' in content


def test_the_site_uses_the_400_view_with_request_context():
    assert handler400 == "portal.middleware.bad_request"


@pytest.mark.django_db
def test_a_suspicious_request_gives_the_400_page(failing_client):
    response = failing_client.get("/", HTTP_HOST="attacker.invalid", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    content = response.content.decode()
    assert "We could not read that request" in content
    assert "attacker.invalid" not in content
    assert "DisallowedHost" not in content
    assert 'name="csrfmiddlewaretoken"' in content  # the language form still works


@pytest.mark.django_db
@pytest.mark.urls(URLCONF)
def test_suspicious_operation_in_a_view_gives_a_400_without_details(failing_client):
    response = failing_client.get("/test-errors/suspicious/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    content = response.content.decode()
    assert "not in a shape this site understands" in content
    assert "internal suspicious detail" not in content


@pytest.mark.django_db
def test_unknown_address_gives_the_404_page_with_a_search_link(failing_client):
    response = failing_client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    content = response.content.decode()
    assert "There is no page at this address" in content
    assert 'href="/search/"' in content
    assert "Resolver404" not in content
    assert "Traceback" not in content


@pytest.mark.django_db
def test_404_shows_the_message_the_view_gave(failing_client):
    response = failing_client.get("/defaulters/987654321/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    content = response.content.decode()
    assert "No such list entry." in content
    assert "There is no page at this address" not in content
    assert 'href="/search/"' in content


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gives_a_friendly_403(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "The form has expired" in content
    assert "CSRF" not in content
