"""Links on search results: an entry's page, the query the tabs carry."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def entry_url(entry) -> str:
    """The public page of a list entry, under its list."""
    return reverse("portal:list-entry", kwargs={"slug": entry.list_type.code, "pk": entry.pk})


@register.simple_tag(takes_context=True)
def current_query(context) -> str:
    """The query the tabs carry: the page's own (``tab_query``), else the request's ``q``."""
    query = context.get("tab_query")
    if query:
        return query
    request = context.get("request")
    return request.GET.get("q", "") if request is not None else ""
