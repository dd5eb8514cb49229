from django.urls import path

from portal.views import (
    account,
    account_company,
    annual_report,
    defaulters,
    enterprise,
    filings,
    government,
    home,
    inspections,
    list_feeds,
    lists,
    measures,
    objections,
    repair,
    reports,
    scoring,
    search,
    search_all,
)
from portal.views import commitments as commitment_views
from portal.views import disclosures as disclosure_views

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.enterprise_search_page, name="search"),
    path("search/all/", search_all.unified_search, name="search-all"),
    path("defaulters/", defaulters.defaulter_search, name="defaulter-search"),
    path("defaulters/<int:pk>/", defaulters.entry_detail, name="entry-detail"),
    path("lists/", lists.catalogue, name="lists"),
    path("lists/feed/", list_feeds.AllListsFeed(), name="lists-feed"),
    path("lists/<slug:slug>/", lists.list_page, name="list"),
    path("lists/<slug:slug>/feed/", list_feeds.ListFeed(), name="list-feed"),
    path("lists/<slug:slug>/entries/<int:pk>/", lists.list_entry, name="list-entry"),
]

urlpatterns += [
    path("government/defaulters/", government.defaulters_dashboard, name="government-defaulters"),
    path("government/defaulters.csv", government.defaulters_csv, name="government-defaulters-csv"),
    path("government/assessments/", government.assessment_rounds, name="assessment-rounds"),
    path("government/assessments/<int:pk>/", government.assessment_round, name="assessment-round"),
]

urlpatterns += [
    path("rewards-and-punishments/", measures.how_it_works, name="how-it-works"),
    path("memoranda/<int:pk>/", measures.memorandum_detail, name="memorandum-detail"),
    path("enterprises/<str:uscc>/measures/", measures.enterprise_measures, name="enterprise-measures"),
    path("enterprises/<str:uscc>/", enterprise.enterprise_profile, name="enterprise"),
]

urlpatterns += [
    path("inspections/", inspections.index, name="inspections"),
    path("inspections/agencies/<slug:code>/", inspections.agency_page, name="inspection-agency"),
    path("inspections/tasks/<int:pk>/", inspections.task_page, name="inspection-task"),
    path(
        "inspections/tasks/<int:pk>/candidates.csv", inspections.task_candidates, name="inspection-candidates"
    ),
    path("inspections/tasks/<int:pk>/draw.json", inspections.task_draw_record, name="inspection-draw"),
]

urlpatterns += [
    path("enterprises/<str:uscc>/report/", reports.report_create, name="report-create"),
    path("reports/<str:number>/", reports.report_verify, name="report-verify"),
]

urlpatterns += [
    path("account/enterprises/<str:uscc>/repair/", repair.repair_overview, name="repair"),
    path("account/enterprises/<str:uscc>/repair/apply/", repair.repair_apply, name="repair-apply"),
    path("account/enterprises/<str:uscc>/repair/apply/check/", repair.repair_check, name="repair-check"),
]

# Company accounts and self-service (docs/self-service/accounts.md).

urlpatterns += [
    path("account/", account.dashboard, name="account"),
    path("account/signup/", account.signup, name="signup"),
    path("account/signup/done/", account.signup_done, name="signup-done"),
    path("account/verify/resend/", account.verify_resend, name="verify-resend"),
    path("account/verify/<str:token>/", account.verify_email, name="verify-email"),
    path("account/login/", account.SignInView.as_view(), name="login"),
    path("account/logout/", account.SignOutView.as_view(), name="logout"),
    path("account/password-reset/", account.ResetView.as_view(), name="password-reset"),
    path("account/password-reset/sent/", account.ResetDoneView.as_view(), name="password-reset-done"),
    path(
        "account/password-reset/<uidb64>/<token>/",
        account.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/password-reset/complete/",
        account.ResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("account/claim/", account.claim, name="claim"),
    path("account/inbox/", account.inbox, name="inbox"),
    path("account/inbox/read-all/", account.inbox_read_all, name="inbox-read-all"),
    path("account/inbox/<int:pk>/read/", account.notice_read, name="notice-read"),
    path("account/follow/<str:uscc>/", account.follow, name="follow"),
    path("account/enterprises/<str:uscc>/", account_company.company, name="company"),
    path("account/enterprises/<str:uscc>/members/", account.members, name="company-members"),
    path(
        "account/enterprises/<str:uscc>/members/<int:pk>/remove/",
        account.member_remove,
        name="member-remove",
    ),
    path("account/documents/<int:pk>/", account_company.document, name="document"),
]

# Instant disclosure and credit commitment letters, by the company itself.

urlpatterns += [
    path("account/enterprises/<str:uscc>/disclosures/", disclosure_views.disclosure_list, name="disclosures"),
    path(
        "account/enterprises/<str:uscc>/disclosures/new/<str:kind>/",
        disclosure_views.disclosure_new,
        name="disclosure-new",
    ),
    path(
        "account/enterprises/<str:uscc>/disclosures/<int:pk>/correct/",
        disclosure_views.disclosure_correct,
        name="disclosure-correct",
    ),
    path("account/enterprises/<str:uscc>/commitments/", commitment_views.commitment_list, name="commitments"),
    path(
        "account/enterprises/<str:uscc>/commitments/new/<str:kind>/",
        commitment_views.commitment_new,
        name="commitment-new",
    ),
    path(
        "account/enterprises/<str:uscc>/commitments/<int:pk>/",
        commitment_views.commitment_detail,
        name="commitment-detail",
    ),
]

urlpatterns += [
    path("account/enterprises/<str:uscc>/annual-reports/", filings.filing_list, name="annual-reports"),
    path(
        "account/enterprises/<str:uscc>/annual-reports/<int:year>/",
        annual_report.report_check,
        name="annual-report",
    ),
    path(
        "account/enterprises/<str:uscc>/annual-reports/<int:year>/<slug:step>/",
        annual_report.report_step,
        name="annual-report-step",
    ),
    path(
        "account/enterprises/<str:uscc>/abnormal-listings/<int:pk>/apply-for-removal/",
        filings.removal_apply,
        name="abnormal-removal-apply",
    ),
]

urlpatterns += [
    path("account/enterprises/<str:uscc>/objections/", objections.objection_list, name="objection-list"),
    path("account/enterprises/<str:uscc>/objections/new/", objections.objection_new, name="objection-new"),
    path(
        "account/enterprises/<str:uscc>/objections/new/check/",
        objections.objection_check,
        name="objection-check",
    ),
]

# Credit evaluations: the company's (and clerks') page with the explanation; the public alert list.

urlpatterns += [
    path("account/enterprises/<str:uscc>/evaluation/", scoring.evaluation_page, name="evaluation"),
    path("alerts/", scoring.alert_list_page, name="alerts"),
]
