"""The portal's routes without a list page: measures name their list without linking it."""

from django.urls import include, path

from portal import urls as portal_urls

urlpatterns = [
    path(
        "",
        include(
            (
                [pattern for pattern in portal_urls.urlpatterns if getattr(pattern, "name", None) != "list"],
                portal_urls.app_name,
            )
        ),
    ),
]
