"""The public list catalogue (/lists/), a page per list with its search, entry pages and feeds.

A list's slug is its code: it appears in URLs only, pages show names in the reader's language.
The abnormal-operations directory (slug ``ABNORMAL_SLUG``) has the same pages, over the
register's abnormal-operations listings.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blacklists.models import ListEntry
from blacklists.selectors import (
    ABNORMAL_SLUG,
    abnormal_listing_public,
    abnormal_listing_search,
    list_entry_public,
    list_entry_search,
    public_list,
    public_lists_grouped,
    restrictions_in_force,
)
from portal.list_forms import ListSearchForm
from portal.ratelimit import rate_limited

# History lines name the path a change came by, never the account that made it (government only).
VIA_LABELS = {
    "admin": gettext_lazy("recorded by the agency's staff"),
    "form": gettext_lazy("through an online form"),
    "import": gettext_lazy("imported from a published list"),
    "command": gettext_lazy("by a scheduled job, such as expiry at the planned end"),
    "api": gettext_lazy("through an agency's system (API)"),
}


def catalogue(request):
    return render(request, "portal/lists/catalogue.html", {"groups": public_lists_grouped()})


def _public_list_or_404(slug: str):
    found = public_list(slug=slug)
    if found is None:
        raise Http404(_("No such public list."))
    return found


@rate_limited("lists")
def list_page(request, slug: str):
    """A list's facts, its search form, and its entries: found by the form, or the newest."""
    found = _public_list_or_404(slug)
    directory = found.is_abnormal_directory
    form = ListSearchForm(request.GET or None, holds_persons=found.holds_persons, directory=directory)
    page, error, region = None, None, None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        region = data.get("region")
        try:
            if directory:
                page = abnormal_listing_search(
                    q=data.get("q", ""),
                    region=region.code if region else "",
                    listed_from=data.get("published_from"),
                    listed_to=data.get("published_to"),
                    page=data.get("page") or 1,
                )
            else:
                page = list_entry_search(
                    list_code=found.slug,
                    q=data.get("q", ""),
                    region=region.code if region else "",
                    published_from=data.get("published_from"),
                    published_to=data.get("published_to"),
                    severity=data.get("severity", ""),
                    page=data.get("page") or 1,
                )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = form.error_text()
    searched = any(value for key, value in request.GET.items() if key != "page")
    return render(
        request,
        "portal/lists/list.html",
        {
            "list": found,
            "form": form,
            "page": page,
            "error": error,
            "region": region,
            "searched": searched,
            "show_severity": not directory and found.kind != "redlist",
        },
        status=400 if error else 200,
    )


def list_entry(request, slug: str, pk: int):
    """One entry of a list, in the court-defaulter page's style; an ended entry answers 410."""
    if slug == ABNORMAL_SLUG:
        return _abnormal_listing(request, pk)
    entry = list_entry_public(pk=pk)
    if entry is None or not entry.list_type.public_search:
        raise Http404(_("No such list entry."))
    if entry.list_type.code != slug:
        return redirect("portal:list-entry", slug=entry.list_type.code, pk=entry.pk, permanent=True)
    published = entry.effective_status() == ListEntry.Status.IN_FORCE
    measures = (
        restrictions_in_force(person=entry.person, enterprise=entry.enterprise).from_entry(entry)
        if published
        else []
    )
    history = [
        {"change": change, "path": VIA_LABELS.get(change.via, "")} for change in entry.status_changes.all()
    ]
    return render(
        request,
        "portal/lists/entry.html",
        {
            "entry": entry,
            "list_type": entry.list_type,
            "published": published,
            "measures": measures,
            "detail": entry.court_case,
            "history": history,
        },
        status=200 if published else 410,
    )


def _abnormal_listing(request, pk: int):
    listing = abnormal_listing_public(pk=pk)
    if listing is None:
        raise Http404(_("No such listing in the abnormal-operations directory."))
    return render(
        request,
        "portal/lists/abnormal_listing.html",
        {"listing": listing, "list": public_list(slug=ABNORMAL_SLUG)},
    )
