from django.shortcuts import render

from portal.forms import EnterpriseSearchForm
from registry.selectors import registry_counts


def home(request):
    """The front page: the registry's size and the enterprise search box (GET to /search/)."""
    return render(request, "portal/home.html", {"counts": registry_counts(), "form": EnterpriseSearchForm()})
