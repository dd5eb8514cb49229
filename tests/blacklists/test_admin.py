import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from accounts.models import AgencyMembership
from blacklists.models import ListEntry, ListType
from blacklists.services import list_entry_create
from registry.models import Agency, AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def make_entry(list_code="court-defaulters", agency_code="spc", number="(2024)皖0102执1号"):
    list_type = ListType.objects.get(code=list_code)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        person=PersonFactory(),
        issuing_agency=Agency.objects.get(short_code=agency_code),
        decision_number=number,
        decision_date=TODAY,
        starts_on=TODAY,
        planned_end=TODAY + dt.timedelta(days=365),
    )


def clerk_of(agency_code: str, client) -> User:
    user = User.objects.create_user(f"clerk-{agency_code}", password="pw-123456789", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["blacklists", "registry"])
    )
    AgencyMembership.objects.create(user=user, agency=Agency.objects.get(short_code=agency_code))
    client.force_login(user)
    return user


def test_changelist_and_entry_page_show_history(admin_client):
    entry = make_entry()
    assert admin_client.get(reverse("admin:blacklists_listentry_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:blacklists_listentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert "history of status changes" in page.content.decode().lower()
    assert admin_client.get(reverse("admin:blacklists_listtype_changelist")).status_code == 200


def test_end_early_action_asks_for_a_reason_then_applies(admin_client, admin_user):
    entry = make_entry()
    url = reverse("admin:blacklists_listentry_changelist")
    confirm = admin_client.post(url, {"action": "end_early", "_selected_action": [entry.pk]})
    assert confirm.status_code == 200 and "Reason" in confirm.content.decode()
    admin_client.post(
        url, {"action": "end_early", "_selected_action": [entry.pk], "apply": "1", "reason": "已履行完毕"}
    )
    entry.refresh_from_db()
    assert entry.status == "removed"
    change = entry.status_changes.last()
    assert (change.actor, change.via, change.reason) == (admin_user, "admin", "已履行完毕")


def test_extend_action(admin_client):
    entry = make_entry()
    new_end = entry.starts_on + dt.timedelta(days=900)
    admin_client.post(
        reverse("admin:blacklists_listentry_changelist"),
        {
            "action": "extend",
            "_selected_action": [entry.pk],
            "apply": "1",
            "reason": "妨碍执行",
            "planned_end": new_end,
        },
    )
    entry.refresh_from_db()
    assert entry.planned_end == new_end


def test_clerk_sees_and_changes_only_their_agencys_entries(client):
    own = make_entry("caac-no-fly", "spc", "民航限〔2025〕1号")
    ListType.objects.filter(code="caac-no-fly").update(owner=Agency.objects.get(short_code="caac"))
    other = make_entry("court-defaulters", "spc", "(2024)皖0102执2号")
    clerk_of("caac", client)
    changelist = client.get(reverse("admin:blacklists_listentry_changelist"))
    assert list(changelist.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:blacklists_listentry_change", args=[other.pk])).status_code == 403
    client.post(
        reverse("admin:blacklists_listentry_changelist"),
        {"action": "revoke", "_selected_action": [other.pk], "apply": "1", "reason": "not mine"},
    )
    other.refresh_from_db()
    assert other.status == "in_force"


def test_clerk_cannot_create_on_another_agencys_list(client):
    clerk = clerk_of("caac", client)
    with pytest.raises(Exception, match="Only clerks of"):
        list_entry_create(
            actor=clerk,
            via="admin",
            list_type=ListType.objects.get(code="court-defaulters"),
            person=PersonFactory(),
            issuing_agency=Agency.objects.get(short_code="spc"),
            decision_number="(2024)皖0102执3号",
            decision_date=TODAY,
            starts_on=TODAY,
        )
    assert not ListEntry.objects.exists()


def test_clerk_adds_an_entry_through_the_admin_form(client):
    clerk = clerk_of("caac", client)
    person = PersonFactory()
    response = client.post(
        reverse("admin:blacklists_listentry_add"),
        {
            "list_type": ListType.objects.get(code="caac-no-fly").pk,
            "person": person.pk,
            "subject_name": person.name,
            "issuing_agency": Agency.objects.get(short_code="caac").pk,
            "decision_number": "民航限〔2025〕7号",
            "decision_date": TODAY,
            "severity": "general",
            "starts_on": TODAY,
            "planned_end": TODAY + dt.timedelta(days=200),
            "published_on": TODAY,
            "legal_basis": "",
            "circumstance": "机上滋事",
            "court_defaulter-TOTAL_FORMS": 0,
            "court_defaulter-INITIAL_FORMS": 0,
            "consumption_restriction-TOTAL_FORMS": 0,
            "consumption_restriction-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    entry = ListEntry.objects.get(decision_number="民航限〔2025〕7号")
    assert AuditEntry.objects.get(object_pk=str(entry.pk), action="create").actor == clerk


def test_period_error_is_shown_on_the_form(admin_client):
    person = PersonFactory()
    response = admin_client.post(
        reverse("admin:blacklists_listentry_add"),
        {
            "list_type": ListType.objects.get(code="caac-no-fly").pk,
            "person": person.pk,
            "subject_name": person.name,
            "issuing_agency": Agency.objects.get(short_code="caac").pk,
            "decision_number": "民航限〔2025〕8号",
            "decision_date": TODAY,
            "severity": "general",
            "starts_on": TODAY,
            "planned_end": TODAY + dt.timedelta(days=10),
            "published_on": TODAY,
            "court_defaulter-TOTAL_FORMS": 0,
            "court_defaulter-INITIAL_FORMS": 0,
            "consumption_restriction-TOTAL_FORMS": 0,
            "consumption_restriction-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "at least 90 days" in response.content.decode()
    assert not ListEntry.objects.exists()
