from django.urls import path

from opendata.api import views

app_name = "opendata-api"

urlpatterns = [
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("changes/stream/", views.ChangesStreamView.as_view(), name="changes-stream"),
]
