from django.urls import path

from blacklists.api import restrictions, views

app_name = "blacklists-api"

urlpatterns = [
    path("defaulters/", views.DefaulterSearchView.as_view(), name="defaulter-search"),
    path("lists/", views.ListTypeListView.as_view(), name="list-types"),
    path("list-entries/", views.ListEntryListView.as_view(), name="list-entries"),
    path("restrictions/", restrictions.RestrictionCheckView.as_view(), name="restrictions"),
]
