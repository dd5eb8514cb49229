"""The demo accounts: a superuser, a county market-regulation bureau clerk and a court clerk (each
seeing only their agency's data, with work due), and the company user."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.clerk_roles import CLERK_ROLES, COURT_CLERK, MARKET_REGULATION_CLERK
from accounts.services import clerk_groups_ensure
from blacklists.models import ListEntry
from casework.models import AbnormalRemovalApplication, Objection, RepairApplication
from demo.clerks import CLERK_PASSWORD, COUNTY_CLERK_USERNAME, COURT_CLERK_USERNAME
from registry.models import Agency
from registry.services.audit import SYSTEM
from tests.demo.helpers import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    generate(seed=5)
    outputs = {}
    with override_settings(DEBUG=True):
        for command in ("create_demo_admin", "create_demo_company_user", "create_demo_clerks"):
            out = StringIO()
            call_command(command, stdout=out)
            outputs[command] = out.getvalue()
    return outputs


def clerk(username):
    return User.objects.select_related("agency_membership__agency").get(username=username)


def test_every_account_is_printed_with_its_password(demo):
    assert "admin-demo" in demo["create_demo_admin"]
    assert "company@example.com" in demo["create_demo_company_user"]
    printed = demo["create_demo_clerks"]
    for username in (COUNTY_CLERK_USERNAME, COURT_CLERK_USERNAME):
        assert username in printed
        assert clerk(username).agency_membership.agency.name_zh in printed
    assert CLERK_PASSWORD in printed


def test_each_clerk_is_staff_of_one_agency_of_its_kind_with_its_group(demo):
    county = clerk(COUNTY_CLERK_USERNAME)
    assert county.is_staff and not county.is_superuser
    agency = county.agency_membership.agency
    assert (agency.kind, agency.level) == (Agency.Kind.MARKET_REGULATION, Agency.Level.COUNTY)
    assert list(county.groups.values_list("name", flat=True)) == [MARKET_REGULATION_CLERK]
    assert county.has_perm("casework.change_repairapplication")
    court = clerk(COURT_CLERK_USERNAME)
    assert court.agency_membership.agency.kind == Agency.Kind.COURT
    assert list(court.groups.values_list("name", flat=True)) == [COURT_CLERK]
    assert not court.has_perm("casework.change_repairapplication")
    # The demo court lists are issued by it: it has entries of its own.
    assert ListEntry.objects.filter(issuing_agency=court.agency_membership.agency).exists()


def test_each_clerk_has_work_due_and_overdue_of_their_agency(demo):
    today = timezone.localdate()
    county = clerk(COUNTY_CLERK_USERNAME).agency_membership.agency
    for model in (Objection, RepairApplication, AbnormalRemovalApplication):
        pending = list(model.objects.pending().filter(agency=county))
        assert len(pending) == 2, model
        assert sum(application.is_overdue(today) for application in pending) == 1, model
        due_soon = [application for application in pending if not application.is_overdue(today)]
        assert 0 <= due_soon[0].working_days_left(today) <= 2, model
    court = clerk(COURT_CLERK_USERNAME).agency_membership.agency
    objections = Objection.objects.pending().filter(agency=court, record_type=Objection.RecordType.LIST_ENTRY)
    assert objections.exists()
    entry_ids = set(objections.values_list("record_id", flat=True))
    assert set(ListEntry.objects.filter(pk__in=entry_ids).values_list("issuing_agency", flat=True)) == {
        court.pk
    }


def test_clerks_log_in_to_admin_and_see_only_their_agencys_rows(client, demo):
    county_user, court_user = clerk(COUNTY_CLERK_USERNAME), clerk(COURT_CLERK_USERNAME)
    county, court = county_user.agency_membership.agency, court_user.agency_membership.agency
    assert client.login(username=COURT_CLERK_USERNAME, password=CLERK_PASSWORD)
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/casework/objection/").context["cl"]
    assert page.result_count == Objection.objects.filter(agency=court).count() > 0
    entries = client.get("/admin/blacklists/listentry/").context["cl"]
    assert {entry.issuing_agency_id for entry in entries.result_list} == {court.pk}
    assert client.get("/admin/casework/repairapplication/").status_code == 403
    client.logout()
    assert client.login(username=COUNTY_CLERK_USERNAME, password=CLERK_PASSWORD)
    assert client.get("/admin/").status_code == 200
    objections = client.get("/admin/casework/objection/").context["cl"]
    assert {objection.agency_id for objection in objections.result_list} == {county.pk}
    assert objections.result_count < Objection.objects.count()
    repairs = client.get("/admin/casework/repairapplication/").context["cl"]
    assert {application.agency_id for application in repairs.result_list} == {county.pk}
    removals = client.get("/admin/casework/abnormalremovalapplication/").context["cl"]
    assert removals.result_count == 2


def test_the_commands_run_again_without_adding_anything(demo):
    counts = (Objection.objects.count(), RepairApplication.objects.count(), User.objects.count())
    with override_settings(DEBUG=True):
        for command in ("create_demo_admin", "create_demo_company_user", "create_demo_clerks"):
            call_command(command, stdout=StringIO())
    assert (Objection.objects.count(), RepairApplication.objects.count(), User.objects.count()) == counts
    assert User.objects.filter(username=COUNTY_CLERK_USERNAME).get().check_password(CLERK_PASSWORD)


def test_clerk_groups_hold_exactly_their_permissions():
    groups = clerk_groups_ensure(actor=SYSTEM, via="command")
    for name, labels in CLERK_ROLES.items():
        held = {f"{p.content_type.app_label}.{p.codename}" for p in groups[name].permissions.all()}
        assert held == set(labels)
    clerk_groups_ensure(actor=SYSTEM, via="command")
    assert Group.objects.filter(name__in=CLERK_ROLES).count() == len(CLERK_ROLES)


def test_the_clerks_command_refuses_without_debug():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_clerks", stdout=StringIO())
