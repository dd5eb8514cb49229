"""The portal's routes plus a list page, as the list catalogue adds it: links to lists appear."""

from django.http import HttpResponse
from django.urls import include, path

from portal import urls as portal_urls


def _list_page(request, slug):
    return HttpResponse(slug)


urlpatterns = [
    path(
        "",
        include(
            (
                [*portal_urls.urlpatterns, path("lists/<slug:slug>/", _list_page, name="list")],
                portal_urls.app_name,
            )
        ),
    ),
]
