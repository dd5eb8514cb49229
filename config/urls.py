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
    path("", include("portal.urls")),
]

# The 400 page with the request context, so its header and language form work; 403, 404 and 500
# use Django's own handlers with templates/403.html, 404.html and the standalone 500.html.
handler400 = "portal.middleware.bad_request"
