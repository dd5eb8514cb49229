from django.urls import path

from scoring.api import agency_grades

app_name = "scoring-agency-grades-api"

urlpatterns = [
    path("agency-grades/", agency_grades.AgencyGradeListView.as_view(), name="agency-grades"),
    path(
        "agency-grade-schemes/",
        agency_grades.AgencyGradeSchemeListView.as_view(),
        name="agency-grade-schemes",
    ),
]
