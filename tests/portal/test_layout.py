"""The shared layout: landmarks, navigation, language switch, footer and static files."""

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client


@pytest.mark.django_db
def test_layout_has_landmarks_skip_link_and_navigation(client):
    content = client.get("/defaulters/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a class="skip" href="#main">Skip to content</a>' in content
    assert '<header class="site-header">' in content
    assert '<nav class="site-nav" aria-label="Main">' in content
    assert '<main id="main">' in content
    assert '<footer class="site-footer">' in content
    for href, text in [
        ("/search/", "Search enterprises"),
        ("/defaulters/", "Court defaulters"),
        ("/rewards-and-punishments/", "Rewards and punishments"),
        ("/api/v1/docs/", "API"),
    ]:
        assert f'href="{href}"' in content and f">{text}</a>" in content
    # The current section is marked for screen readers, and only it.
    assert '<a href="/defaulters/" aria-current="page">Court defaulters</a>' in content
    site_nav = content.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert site_nav.count('aria-current="page"') == 1
    assert "Every record shows the agency that published it and the date it was published." in content


@pytest.mark.django_db
def test_language_switch_is_a_labelled_form_that_works_without_javascript(client):
    content = client.get("/defaulters/?q=abc", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="language">Language</label>' in content
    assert '<select id="language" name="language">' in content
    assert '<input name="next" type="hidden" value="/defaulters/?q=abc">' in content
    assert "<script" not in content
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/defaulters/?q=abc"})
    assert response.status_code == 302
    assert response["Location"] == "/defaulters/?q=abc"


def test_stylesheet_styles_the_shared_class_vocabulary():
    css = (django_settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    for selector in [
        ".page-header",
        ".card",
        ".data-table",
        ".table-wrap",
        ".fields",
        ".badge-blacklist",
        ".badge-redlist",
        ".badge-watchlist",
        ".badge-abnormal",
        ".badge-status",
        ".empty",
        ".error-box",
        ".muted",
        ".withheld",
        '.tabs a[aria-current="page"]',
        ".search-form",
        ".filters",
        ".pagination",
        ".section-source",
        ".toc",
        ".button-secondary",
        ":focus-visible",
        ".skip:focus",
        "prefers-reduced-motion",
        "@media print",
    ]:
        assert selector in css, selector


def test_production_serves_static_files_under_hashed_names():
    """Production settings (DEBUG off) use whitenoise's manifest storage; tests override it."""
    import subprocess
    import sys

    script = "import config.settings as s; print(s.STORAGES['staticfiles']['BACKEND'])"
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgres://user:pw@db.invalid:5432/credit",
        "SECRET_KEY": "s" * 50,
        "ID_HASH_KEY": "k" * 50,
        "ALLOWED_HOSTS": "credit.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.django_db
def test_whitenoise_serves_the_hashed_stylesheet_when_debug_is_off(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Only our own files: enough to prove the pipeline without compressing every vendored asset.
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        ignore_patterns=["admin", "rest_framework", "drf_spectacular_sidecar", "django_filters"],
    )
    hashed = static("css/site.css")
    assert hashed != "/static/css/site.css"
    assert hashed.startswith("/static/css/site.") and hashed.endswith(".css")
    assert staticfiles_storage.stored_name("css/site.css") == hashed.removeprefix("/static/")

    client = Client()  # a new handler, so whitenoise indexes the collected files
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{hashed}"' in page
    response = client.get(hashed)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert b".badge-blacklist" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_development_server_serves_static_files_without_collectstatic(settings, tmp_path):
    """``make run`` (DEBUG=1) needs no collectstatic: whitenoise finds the files in static/."""
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path / "empty"  # nothing collected
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert b".badge-blacklist" in b"".join(response.streaming_content)
