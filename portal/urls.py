from django.urls import path

from portal.views import defaulters, enterprise, home, measures, reports, search

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.enterprise_search_page, name="search"),
    path("defaulters/", defaulters.defaulter_search, name="defaulter-search"),
    path("defaulters/<int:pk>/", defaulters.entry_detail, name="entry-detail"),
]

urlpatterns += [
    path("rewards-and-punishments/", measures.how_it_works, name="how-it-works"),
    path("memoranda/<int:pk>/", measures.memorandum_detail, name="memorandum-detail"),
    path("enterprises/<str:uscc>/measures/", measures.enterprise_measures, name="enterprise-measures"),
    path("enterprises/<str:uscc>/", enterprise.enterprise_profile, name="enterprise"),
]

urlpatterns += [
    path("enterprises/<str:uscc>/report/", reports.report_create, name="report-create"),
    path("reports/<str:number>/", reports.report_verify, name="report-verify"),
]
