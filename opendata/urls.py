from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.open_data, name="page"),
    path("open-data/files/<str:snapshot>/<str:filename>", views.open_data_file, name="file"),
]
