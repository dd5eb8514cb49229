from django.urls import path

from registry.api import views

app_name = "registry-api"

urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/search/", views.EnterpriseSearchView.as_view(), name="enterprise-search"),
    path("enterprises/<str:uscc>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
]
