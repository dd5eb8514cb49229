"""The Content-Security-Policy header: no inline script anywhere (docs/security.md)."""

from __future__ import annotations

import re
from pathlib import Path

import django
import pytest
from django.urls import reverse

from config.inline_styles import style_hashes

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/en/", "/admin/login/"])
def test_pages_forbid_inline_scripts_plugins_and_framing(client, url):
    response = client.get(url, follow=True)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_api_documentation_pages_may_style_inline_but_never_script_inline(client):
    response = client.get(reverse("api-docs"))
    policy = directives(response)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]
    # Swagger UI's initialisation comes as a file of its own, not inline.
    assert not re.search(rb"<script>", response.content)
    assert b'<script src="/api/v1/docs/?script=' in response.content


@pytest.mark.django_db
def test_api_json_answers_keep_the_strict_policy(client):
    response = client.get("/api/v1/schema/")
    assert directives(response)["style-src"][0] == "'self'"
    assert "'unsafe-inline'" not in directives(response)["style-src"]


def test_the_allowed_inline_styles_are_those_of_the_500_and_503_pages_and_the_admin_change_list(settings):
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    admin_change_list = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html"
    assert allowed == [
        "'self'",
        *style_hashes(TEMPLATES / "500.html"),
        *style_hashes(TEMPLATES / "503.html"),
        *style_hashes(admin_change_list),
    ]
    assert len(allowed) == 4


def test_a_style_built_by_the_template_cannot_be_allowed_by_hash(tmp_path):
    template = tmp_path / "page.html"
    template.write_text("<style>body { color: {{ colour }}; }</style>")
    with pytest.raises(ValueError, match="cannot be hashed"):
        style_hashes(template)


def test_templates_hold_no_inline_script_no_event_handler_and_no_style_attribute():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)}: on…= event handler")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)}: style attribute")
        if "<style" in text and template.name not in {"500.html", "503.html"}:
            offenders.append(f"{template.relative_to(ROOT)}: <style> element")
    assert offenders == []
