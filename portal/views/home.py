from django.shortcuts import render

from blacklists.selectors import latest_publications, public_lists_grouped
from portal.forms import EnterpriseSearchForm
from registry.selectors import registry_counts


def home(request):
    """The front page: one search box, the lists by group with their counts, the latest
    publications across lists, and what the site is."""
    return render(
        request,
        "portal/home.html",
        {
            "counts": registry_counts(),
            "form": EnterpriseSearchForm(),
            "groups": public_lists_grouped(),
            "latest": latest_publications(),
        },
    )
