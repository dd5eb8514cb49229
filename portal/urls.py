from django.urls import path

from portal.views import defaulters, home

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("defaulters/", defaulters.defaulter_search, name="defaulter-search"),
    path("defaulters/<int:pk>/", defaulters.entry_detail, name="entry-detail"),
]
