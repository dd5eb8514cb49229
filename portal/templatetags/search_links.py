"""Links and names on search results: an entry's page, a name in the reader's language."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from blacklists.selectors import COURT_LIST_CODES

register = template.Library()


@register.filter
def entry_url(entry) -> str:
    """The public page of a list entry: its own page where the list has entry pages, the
    court-case page for the court's lists, otherwise the list's page."""
    slug = entry.list_type.code
    try:
        return reverse("portal:list-entry", kwargs={"slug": slug, "pk": entry.pk})
    except NoReverseMatch:
        if slug in COURT_LIST_CODES:
            return reverse("portal:entry-detail", args=[entry.pk])
        return reverse("portal:list", kwargs={"slug": slug})


@register.filter
def localized(thing, field: str = "name") -> str:
    """``thing.<field>_zh`` on Chinese pages, ``thing.<field>_en`` on the others."""
    if thing is None:
        return ""
    suffix = "zh" if (get_language() or "zh").startswith("zh") else "en"
    return getattr(thing, f"{field}_{suffix}", "") or ""


@register.simple_tag(takes_context=True)
def current_query(context) -> str:
    """The query the tabs carry: the page's own (``tab_query``), else the request's ``q``."""
    query = context.get("tab_query")
    if query:
        return query
    request = context.get("request")
    return request.GET.get("q", "") if request is not None else ""
