from django.urls import path

from opendata import keys_views, views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.open_data, name="page"),
    path("open-data/files/<str:snapshot>/<str:filename>", views.open_data_file, name="file"),
    path("account/api-keys/", keys_views.developer_keys, name="developer-keys"),
    path(
        "account/api-keys/<int:pk>/revoke/", keys_views.developer_key_revoke_view, name="developer-key-revoke"
    ),
]
