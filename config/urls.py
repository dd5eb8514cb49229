from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("registry.api.urls")),
    path("api/v1/", include("blacklists.api.urls")),
    path("api/v1/", include("scoring.api.agency_grades_urls")),
    path("api/v1/", include("scoring.api.urls")),
    path("api/v1/", include("inspections.api.urls")),
    path("api/v1/", include("opendata.api.urls")),
    path("", include("opendata.urls")),
    path("", include("portal.urls")),
]

# The 400 page with the request context, so its header and language form work; 403 uses Django's
# own handler with templates/403.html; 404 the API's JSON error under /api/ and templates/404.html
# elsewhere; 500 the standalone 500.html, or the 503 page when the error was the database being
# unreachable (config/unavailable.py).
handler400 = "portal.middleware.bad_request"
handler404 = "registry.api.errors.not_found"
handler500 = "config.unavailable.server_error"
