"""The public list catalogue (/lists/) and a page per list."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from blacklists.selectors import public_list, public_lists_grouped


def catalogue(request):
    return render(request, "portal/lists/catalogue.html", {"groups": public_lists_grouped()})


def list_page(request, slug: str):
    found = public_list(slug=slug)
    if found is None:
        raise Http404(_("No such public list."))
    return render(request, "portal/lists/list.html", {"list": found})
