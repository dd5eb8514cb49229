"""The working-day calendar kept in the database: rules, services, admin, the check and the command."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.workdays import is_working_day
from registry.models import AuditEntry, CalendarDay, WorkingCalendarYear
from registry.services.audit import SYSTEM
from registry.services.calendar import calendar_day_create, calendar_year_confirm, calendar_year_create
from tests.registry.test_admin import form_payload

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def year(value: int) -> WorkingCalendarYear:
    return WorkingCalendarYear.objects.get(year=value)


def checks() -> list[str]:
    return [message.id for message in run_checks(databases=["default"])]


# --- what the database refuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"day": dt.date(2027, 3, 3), "kind": "makeup_workday"}, "Saturday or a Sunday"),
        ({"day": dt.date(2028, 1, 1), "kind": "holiday"}, "calendar year it belongs to"),
    ],
)
def test_a_wrong_calendar_day_is_refused_by_validation_and_by_the_database(fields, message):
    day = CalendarDay(calendar_year=year(2027), **fields)
    with pytest.raises(ValidationError, match=message):
        day.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        day.save()


def test_a_confirmed_year_without_a_confirmation_time_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingCalendarYear.objects.create(year=2030, source="x", status="confirmed")
    with pytest.raises(ValidationError, match="confirmed year names its source"):
        WorkingCalendarYear(year=2030, source="x", status="confirmed").full_clean()


def test_the_same_day_cannot_be_entered_twice():
    with pytest.raises(ValidationError):
        calendar_day_create(
            actor=SYSTEM, via="command", calendar_year=year(2027), day=dt.date(2027, 1, 1), kind="holiday"
        )


# --- services ---------------------------------------------------------------------------------------


def test_adding_a_make_up_day_makes_a_weekend_a_working_day_and_is_audited():
    saturday = dt.date(2027, 2, 20)
    assert not is_working_day(saturday)
    day = calendar_day_create(
        actor=SYSTEM,
        via="command",
        calendar_year=year(2027),
        day=saturday,
        kind="makeup_workday",
        name="调休",
    )
    assert is_working_day(saturday)
    assert AuditEntry.objects.filter(object_pk=str(day.pk), action="create").exists()


def test_confirming_a_year_records_who_and_when_and_cannot_be_repeated(admin_user):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        confirmed = calendar_year_confirm(
            calendar_year=year(2027),
            actor=admin_user,
            via="admin",
            source="国务院办公厅关于2027年部分节假日安排的通知",
        )
    stored = year(2027)
    assert stored.is_confirmed and confirmed.is_confirmed
    assert stored.confirmed_by == admin_user
    assert stored.confirmed_at == dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
    assert stored.source == "国务院办公厅关于2027年部分节假日安排的通知"
    audit = AuditEntry.objects.get(
        object_pk="2027", action="update", reason="Confirmed against the official notice."
    )
    assert audit.changes["status"] == ["provisional", "confirmed"]
    with pytest.raises(ValidationError, match="confirmed already"):
        calendar_year_confirm(calendar_year=stored, actor=admin_user, via="admin")


def test_a_year_is_created_provisional():
    created = calendar_year_create(actor=SYSTEM, via="command", year=2031, source="notice")
    assert created.status == "provisional" and created.confirmed_at is None


# --- warnings: check and admin --------------------------------------------------------------------


def test_check_warns_while_next_years_schedule_is_unconfirmed(admin_user):
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert checks().count("registry.W001") == 1  # 2027 is provisional; 2026 is confirmed
        assert "registry.W001" not in [message.id for message in run_checks()]  # no database asked
        calendar_year_confirm(calendar_year=year(2027), actor=admin_user, via="admin", source="notice")
        assert "registry.W001" not in checks()
    # In 2027 the warning is about 2028, which the calendar does not hold at all.
    with time_machine.travel(dt.datetime(2027, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        [warning] = [
            message for message in run_checks(databases=["default"]) if message.id == "registry.W001"
        ]
        assert "2028" in warning.msg


def test_the_admin_index_warns_every_clerk_about_an_unconfirmed_year(client):
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, 0, tzinfo=SHANGHAI), tick=True):
        client.force_login(staff_user("clerk"))
        page = client.get(reverse("admin:index")).content.decode()
    assert "The working-day calendar for 2027 has not been confirmed" in page
    assert reverse("admin:registry_workingcalendaryear_changelist") in page


# --- admin ---------------------------------------------------------------------------------------


def staff_user(username: str, *permissions: str):
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_a_clerk_without_the_calendar_permissions_only_reads_it(client):
    client.force_login(staff_user("clerk", "view_workingcalendaryear", "view_calendarday"))
    url = reverse("admin:registry_workingcalendaryear_change", args=[2027])
    assert client.get(url).status_code == 200
    assert client.post(url, {"source": "changed"}).status_code == 403
    assert year(2027).source != "changed"


def test_the_central_office_adds_a_make_up_day_in_admin_through_the_service(client):
    office = staff_user(
        "central-office",
        "view_workingcalendaryear",
        "change_workingcalendaryear",
        "view_calendarday",
        "add_calendarday",
        "change_calendarday",
        "delete_calendarday",
    )
    client.force_login(office)
    url = reverse("admin:registry_workingcalendaryear_change", args=[2027])
    payload = form_payload(client.get(url))
    prefix = "days"
    total = int(payload[f"{prefix}-TOTAL_FORMS"])
    payload.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-day": "2027-02-20",
            f"{prefix}-{total}-kind": "makeup_workday",
            f"{prefix}-{total}-name": "春节调休上班",
        }
    )
    response = client.post(url, payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get(day=dt.date(2027, 2, 20))
    assert AuditEntry.objects.filter(object_pk=str(day.pk), action="create", actor=office).exists()
    assert is_working_day(dt.date(2027, 2, 20))

    confirm = client.post(
        reverse("admin:registry_workingcalendaryear_changelist"),
        {"action": "confirm_years", "_selected_action": ["2027"]},
    )
    assert confirm.status_code == 302
    assert year(2027).is_confirmed and year(2027).confirmed_by == office


def test_a_make_up_day_on_a_weekday_is_refused_on_the_admin_form(admin_client):
    url = reverse("admin:registry_workingcalendaryear_change", args=[2027])
    payload = form_payload(admin_client.get(url))
    total = int(payload["days-TOTAL_FORMS"])
    payload.update(
        {
            "days-TOTAL_FORMS": str(total + 1),
            f"days-{total}-day": "2027-03-03",
            f"days-{total}-kind": "makeup_workday",
        }
    )
    response = admin_client.post(url, payload)
    assert response.status_code == 200
    assert "Saturday or a Sunday" in response.content.decode()
    assert not CalendarDay.objects.filter(day=dt.date(2027, 3, 3)).exists()


# --- the command -------------------------------------------------------------------------------------


def test_seed_working_calendar_adds_a_provisional_year_and_never_overwrites_one(capsys):
    call_command("seed_working_calendar", "2028")
    seeded = year(2028)
    assert seeded.status == "provisional" and "holidays library" in seeded.source
    assert CalendarDay.objects.filter(calendar_year=seeded, day=dt.date(2028, 10, 2), kind="holiday").exists()
    assert "provisional" in capsys.readouterr().out
    with pytest.raises(CommandError, match="holds 2028 already"):
        call_command("seed_working_calendar", "2028")
    with pytest.raises(CommandError, match="2000 to 2100"):
        call_command("seed_working_calendar", "1999")
