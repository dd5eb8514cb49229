from django.urls import path

from scoring.api import views

app_name = "scoring-api"

urlpatterns = [
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluations"),
    path("evaluations/<str:uscc>/", views.EvaluationDetailView.as_view(), name="evaluation"),
    path("alerts/", views.AlertListView.as_view(), name="alerts"),
]
