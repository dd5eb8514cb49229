from django.urls import path

from blacklists.api import views

app_name = "blacklists-api"

urlpatterns = [
    path("defaulters/", views.DefaulterSearchView.as_view(), name="defaulter-search"),
    path("lists/", views.ListTypeListView.as_view(), name="list-types"),
    path("list-entries/", views.ListEntryListView.as_view(), name="list-entries"),
]
