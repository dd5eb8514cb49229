"""The admin index as the clerk's home: their queue first, models grouped by task, internal tables
for superusers only."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from accounts.models import AgencyMembership
from casework.models import RepairApplication
from config.admin_site import INTERNAL_MODELS, group_of
from tests.factories import AgencyFactory, PenaltyFactory

pytestmark = pytest.mark.django_db
SEPTEMBER = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def clerk_of(agency, client, username="clerk"):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.exclude(content_type__app_label__in=["auth", "admin"]))
    AgencyMembership.objects.create(user=user, agency=agency)
    client.force_login(user)
    return user


def repair(agency, *, due_on, number):
    penalty = PenaltyFactory(deciding_agency=agency, decision_number=number)
    return RepairApplication.objects.create(
        enterprise=penalty.enterprise, agency=agency, penalty=penalty, submitted_at=SEPTEMBER, due_on=due_on
    )


def far_future():
    return dt.date(2027, 6, 30)


def test_clerk_home_shows_their_queue_due_and_overdue_and_not_other_agencies(client):
    ours, other = AgencyFactory(), AgencyFactory()
    overdue = repair(ours, due_on=dt.date(2026, 9, 10), number="OURS-LATE")
    due = repair(ours, due_on=far_future(), number="OURS-DUE")
    repair(other, due_on=dt.date(2026, 9, 10), number="THEIRS")
    clerk_of(ours, client)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="clerk-queue"' in page
    assert "OURS-LATE" in page and "OURS-DUE" in page and "THEIRS" not in page
    assert reverse("admin:casework_repairapplication_change", args=[overdue.pk]) in page
    assert reverse("admin:casework_repairapplication_change", args=[due.pk]) in page
    assert page.index("OURS-LATE") < page.index("OURS-DUE")  # the earliest due first
    assert "Overdue by" in page and "working days left" in page
    assert "2 applications and objections await a decision" in page and "1 is overdue" in page
    assert 'id="clerk-expiring"' in page
    # The agency in the reader's language: no Chinese name on an English page.
    assert f"Work due: {ours.name_en}" in page and ours.name_zh not in page


def test_clerk_home_is_in_chinese_for_a_chinese_clerk(client):
    agency = AgencyFactory()
    repair(agency, due_on=dt.date(2026, 9, 10), number="OURS-LATE")
    clerk_of(agency, client)
    page = client.get(reverse("admin:index"), headers={"accept-language": "zh-hans"}).content.decode()
    assert "OURS-LATE" in page and 'lang="zh-hans"' in page


def test_superuser_sees_every_agency_and_filters_to_one(admin_client):
    ours, other = AgencyFactory(), AgencyFactory()
    repair(ours, due_on=far_future(), number="OURS")
    repair(other, due_on=far_future(), number="THEIRS")
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "OURS" in page and "THEIRS" in page and 'name="agency"' in page
    page = admin_client.get(reverse("admin:index"), {"agency": other.pk}).content.decode()
    assert "THEIRS" in page and "OURS" not in page
    assert f'<option value="{other.pk}" selected>{other.name_en}</option>' in page


@pytest.mark.parametrize("value", ["abc", "999999999"])
def test_unknown_agency_in_the_filter_is_a_clear_400(admin_client, value):
    response = admin_client.get(reverse("admin:index"), {"agency": value})
    assert response.status_code == 400
    assert f"No agency has the key “{value}”." in response.content.decode()


def test_home_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    agency = AgencyFactory()
    for day in range(12):
        repair(agency, due_on=dt.date(2026, 9, 10 + day), number=f"N-{day}")
    clerk_of(agency, client)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("admin:index")).content.decode()
    assert page.count('class="clerk-queue-item') == 12


def test_models_are_grouped_by_task_and_internal_tables_hidden_from_clerks(client):
    clerk_of(AgencyFactory(), client)
    app_list = client.get(reverse("admin:index")).context["app_list"]
    groups = [app["app_label"] for app in app_list]
    assert groups[:5] == ["lists", "casework", "inspections", "register", "reference"]
    assert "internal" not in groups
    names = {model["object_name"] for app in app_list for model in app["models"]}
    assert {"ListEntry", "Objection", "InspectionTask", "Enterprise", "WorkingCalendarYear"} <= names
    assert not names & {"SearchDocument", "RestrictionCheck", "CreditReport"}
    lists = next(app for app in app_list if app["app_label"] == "lists")
    assert lists["models"][0]["object_name"] == "ListEntry"


def test_superuser_sees_the_internal_tables_and_the_accounts(admin_client):
    app_list = admin_client.get(reverse("admin:index")).context["app_list"]
    groups = [app["app_label"] for app in app_list]
    assert groups == [
        "lists",
        "casework",
        "inspections",
        "government",
        "register",
        "reference",
        "scoring",
        "imports",
        "administration",
        "internal",
    ]
    internal = next(app for app in app_list if app["app_label"] == "internal")
    assert {model["object_name"] for model in internal["models"]} >= {"SearchDocument", "RestrictionCheck"}
    administration = next(app for app in app_list if app["app_label"] == "administration")
    assert {"User", "AgencyMembership"} <= {model["object_name"] for model in administration["models"]}


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:search_searchdocument_changelist",
        "admin:blacklists_restrictioncheck_changelist",
        "admin:portal_creditreport_changelist",
    ],
)
def test_internal_tables_are_refused_to_a_clerk_with_permissions(client, admin_client, url_name):
    clerk_of(AgencyFactory(), client)
    assert client.get(reverse(url_name)).status_code == 403
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_an_apps_own_page_keeps_its_models():
    assert group_of("casework.objection") == "casework"
    assert group_of("blacklists.somethingnew") == "lists"
    assert group_of("elsewhere.thing") == "other"
    assert all(group_of(key) == "internal" for key in INTERNAL_MODELS)


def test_app_index_pages_still_work(admin_client):
    response = admin_client.get(reverse("admin:app_list", args=["casework"]))
    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["casework"]
