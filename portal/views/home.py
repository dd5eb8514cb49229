from django.shortcuts import render

from registry.selectors import registry_counts


def home(request):
    return render(request, "portal/home.html", {"counts": registry_counts()})
