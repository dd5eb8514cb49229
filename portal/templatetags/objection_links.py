""" "Object" links on the public profile, for the enterprise's own users only: ``{% load objection_links %}``.

``{% objection_links profile section as objection %}`` gives ``None`` to everyone else (no query for
an anonymous reader), and otherwise ``objection.rows`` (one form URL per table row, in row order) and
``objection.labelled`` (``(label, url)`` pairs for the business licence and each annual report).
``{{ objection.rows|objection_row:forloop.counter0 }}`` is the URL of one row.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from accounts.permissions import enterprises_of

register = template.Library()
_CACHE_ATTR = "_objection_acts_for"


def _acts_for_uscc(request, uscc: str) -> bool:
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(request, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(request, _CACHE_ATTR, cache)
    if uscc not in cache:
        cache[uscc] = enterprises_of(user).filter(uscc=uscc).exists()
    return cache[uscc]


def _url(uscc: str, target) -> str:
    query = urlencode({"record_type": target.record_type, "record_id": target.record_id})
    return f"{reverse('portal:objection-new', kwargs={'uscc': uscc})}?{query}"


@register.simple_tag(takes_context=True)
def objection_links(context, profile, section):
    targets = (getattr(profile, "objection_targets", None) or {}).get(getattr(section, "key", ""))
    if not targets or not _acts_for_uscc(context.get("request"), profile.uscc):
        return None
    rows = [_url(profile.uscc, t) for t in targets if not t.label]
    if rows and len(rows) != len(section.rows):
        rows = []  # never attach a link to the wrong row
    labelled = [(t.label, _url(profile.uscc, t)) for t in targets if t.label]
    return {"rows": rows, "labelled": labelled}


@register.filter
def objection_row(rows, index):
    try:
        return rows[index]
    except (IndexError, TypeError):
        return ""
