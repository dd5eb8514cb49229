"""The public court-defaulter search (失信被执行人) and combined list search (综合查询)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListType
from blacklists.selectors import COURT_LIST_CODES, entry_search, list_entry_public, restrictions_in_force
from portal.forms import DefaulterSearchForm
from portal.profile.cells import list_page_url
from portal.ratelimit import rate_limited
from registry.models import Region
from search.query import SearchQueryError


@rate_limited("defaulters")
def defaulter_search(request):
    form = DefaulterSearchForm(request.GET or None)
    page, error = None, None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        codes = COURT_LIST_CODES if data["list"] == "all" else (data["list"] or "court-defaulters",)
        try:
            page = entry_search(
                q=data["q"],
                list_codes=codes,
                province=data["province"] or None,
                court_id=data["court"].pk if data["court"] else None,
                page=data["page"] or 1,
            )
        except (SearchQueryError, ValidationError) as exc:
            error = " ".join(exc.messages)
    elif request.GET:
        error = " ".join(str(message) for messages in form.errors.values() for message in messages)
    status = 400 if error and request.GET else 200
    return render(
        request,
        "portal/defaulters/search.html",
        {
            "form": form,
            "page": page,
            "error": error,
            "provinces": Region.objects.filter(level=Region.Level.PROVINCE),
            "lists": ListType.objects.filter(code__in=COURT_LIST_CODES),
        },
        status=status,
    )


def entry_detail(request, pk: int):
    entry = list_entry_public(pk=pk)
    if entry is None:
        raise Http404(_("No such list entry."))
    published = entry.effective_status() == ListEntry.Status.IN_FORCE
    # Only what this listing triggers: the page is about the entry, not everything on the subject.
    measures = (
        restrictions_in_force(person=entry.person, enterprise=entry.enterprise).from_entry(entry)
        if published
        else []
    )
    # An order against an organisation also binds the person it names (already shown on the page).
    named = getattr(entry.court_case, "restricted_person", None) if published else None
    named_measures = (
        restrictions_in_force(person=named).from_entry(entry, named_only=True) if named is not None else []
    )
    return render(
        request,
        "portal/defaulters/detail.html",
        {
            "entry": entry,
            "published": published,
            "measures": measures,
            "named_measures": named_measures,
            "detail": entry.court_case,
            "list_url": list_page_url(entry.list_type),
        },
        status=200 if published else 410,
    )
