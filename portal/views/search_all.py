"""The one search box over everything: enterprises, list subjects and court defaulters.

The "All" tab shows the best few of each group, each with a link to its own search with the
query kept; the "List subjects" tab pages through the entries in force on every public list (or
one of them). The enterprise and court-defaulter tabs are their own pages (portal.views.search,
portal.views.defaulters): the box sends those tabs there.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from blacklists.models import ListEntry
from blacklists.selectors import (
    COURT_LIST_CODES,
    ListChoice,
    entry_search,
    grouped_list_choices,
    public_list_choices,
)
from portal.forms import UnifiedSearchForm
from portal.ratelimit import rate_limited
from portal.views.search import enterprise_rows
from registry.selectors import enterprise_search
from search.normalise import normalise
from search.query import MIN_QUERY_CHARS, SearchQueryError, identifier_keys, masked_id_query

GROUP_SIZE = 5
PAGE_SIZE = 20


@dataclass(frozen=True)
class EntryRow:
    entry: ListEntry
    list: ListChoice | None  # None: a list no longer public (never shown by the search)


@dataclass
class Group:
    """One kind of subject on the "All" tab: its best rows and where to see all of them."""

    key: str  # "enterprises", "lists" or "defaulters"
    rows: list
    total: str
    more_url: str


def _url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse(name) + (f"?{query}" if query else "")


def _entry_rows(page, names: dict[str, ListChoice]) -> list[EntryRow]:
    return [EntryRow(entry, names.get(entry.list_type.code)) for entry in page.entries]


def _groups(q: str, lists: list[ListChoice]) -> tuple[list[Group], list[str]]:
    """The three groups for ``q``, and the messages of the searches that could not run it."""
    names = {item.slug: item for item in lists}
    agency_lists = [item.slug for item in lists if not item.is_court_list]
    groups, problems = [], []
    try:
        page = enterprise_search(q=q, page_size=GROUP_SIZE)
        groups.append(
            Group(
                "enterprises", enterprise_rows(page.results), page.total_display, _url("portal:search", q=q)
            )
        )
    except SearchQueryError as exc:
        problems.append(" ".join(exc.messages))
    searches = (
        ("lists", agency_lists, _url("portal:search-all", tab="lists", q=q)),
        ("defaulters", list(COURT_LIST_CODES), _url("portal:defaulter-search", q=q, list="all")),
    )
    for key, codes, more_url in searches:
        if not codes:
            continue
        try:
            page = entry_search(q=q, list_codes=codes, page_size=GROUP_SIZE)
        except (SearchQueryError, ValidationError) as exc:
            problems.append(" ".join(exc.messages))
            continue
        groups.append(Group(key, _entry_rows(page, names), page.total_display, more_url))
    return groups, problems


def _too_short(q: str) -> bool:
    return len(normalise(q)) < MIN_QUERY_CHARS and not identifier_keys(q) and not masked_id_query(q)


@rate_limited("search")
def unified_search(request):
    lists = public_list_choices(abnormal_directory=False)
    form = UnifiedSearchForm(request.GET or None, lists=lists)
    context = {
        "form": form,
        "current": "all",
        "query": "",
        "list_groups": grouped_list_choices(lists),
        "selected_list": "",
        "groups": None,
        "page": None,
        "rows": [],
        "error": None,
        "notice": None,
    }
    status = 200
    if request.GET and not form.is_valid():
        context["error"], status = form.error_text(), 400
    elif request.GET:
        data = form.cleaned_data
        q, tab = data["q"], data["tab"]
        if tab == "enterprises":
            return redirect(_url("portal:search", q=q))
        if tab == "defaulters":
            return redirect(_url("portal:defaulter-search", q=q, list="all" if q else ""))
        context.update(current=tab, query=q, selected_list=data["list"])
        if not q:
            context["notice"] = _("Enter a name, a USCC, an ID number or a case number to search.")
        elif _too_short(q):
            context["notice"] = _(
                "Please enter at least %(n)d letters or digits of a name, or a full code or ID number."
            ) % {"n": MIN_QUERY_CHARS}
        elif tab == "lists":
            codes = [data["list"]] if data["list"] else [item.slug for item in lists]
            try:
                page = entry_search(q=q, list_codes=codes, page=data["page"] or 1, page_size=PAGE_SIZE)
            except (SearchQueryError, ValidationError) as exc:
                context["error"], status = " ".join(exc.messages), 400
            else:
                context["page"] = page
                context["rows"] = _entry_rows(page, {item.slug: item for item in lists})
        else:
            groups, problems = _groups(q, lists)
            if problems and not any(group.rows for group in groups):
                context["error"], status = problems[0], 400
            else:
                context["groups"] = groups
    return render(request, "portal/search/all.html", context, status=status)
