"""The inline ``<style>`` elements the Content-Security-Policy allows, by the hash of their text.

Every page of ours takes its styles from static files. Three pages cannot: the standalone 500 and
503 pages, which must show even when the static files or the database are what broke, and Django
admin's change list of a
model without actions, which adds one rule inline. Their hashes are computed from the templates
when the settings load, so an upgrade of Django that changes its rule changes the hash with it,
and any other inline style stays blocked.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import django

STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def style_hashes(template: Path) -> list[str]:
    """The CSP source expressions ('sha256-…') of each ``<style>`` element in ``template``, whose
    text must hold no template tag (it is hashed as written, and sent as written)."""
    sources = []
    for text in STYLE_ELEMENT.findall(template.read_text(encoding="utf-8")):
        if "{%" in text or "{{" in text:
            raise ValueError(f"{template.name}: an inline style built by the template cannot be hashed")
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        sources.append(f"'sha256-{digest}'")
    return sources


def allowed_inline_style_hashes(base_dir: Path) -> list[str]:
    # Django's own directory, found without importing the admin (the settings are still loading).
    admin_templates = Path(django.__file__).resolve().parent / "contrib" / "admin" / "templates" / "admin"
    return (
        style_hashes(base_dir / "templates" / "500.html")
        + style_hashes(base_dir / "templates" / "503.html")
        + style_hashes(admin_templates / "change_list.html")
    )
