"""The clerk's queue: undecided applications of the clerk's agency with their working-day due dates,
and the list entries ending this month."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import AgencyMembership
from blacklists.models import ListType
from blacklists.services import list_entry_create
from casework.models import AbnormalRemovalApplication, Objection, RepairApplication
from casework.selectors.queue import clerk_queue, entries_expiring_this_month, month_bounds
from casework.services import application_decide, objection_submit
from registry.models import Agency
from registry.services.audit import SYSTEM
from tests.factories import AbnormalListingFactory, AgencyFactory, PenaltyFactory, PersonFactory, member_of

pytestmark = pytest.mark.django_db
REASON = "The fine was paid and the decision was revoked on appeal."
# Wednesday 30 September 2026, Beijing: 1-7 October are holidays, Saturday 10 October a make-up day.
BEFORE_THE_HOLIDAYS = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)


def clerk_of(agency, username="clerk"):
    user = User.objects.create_user(username, password="x", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def objection_at(monkeypatch, when, penalty=None):
    monkeypatch.setattr("casework.services.objections.timezone.now", lambda: when)
    penalty = penalty or PenaltyFactory()
    return objection_submit(
        enterprise=penalty.enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason=REASON,
        documents=[],
        actor=member_of(penalty.enterprise),
        via="form",
    )


def repair(agency, *, submitted_at, due_on):
    penalty = PenaltyFactory(deciding_agency=agency)
    return RepairApplication.objects.create(
        enterprise=penalty.enterprise,
        agency=agency,
        penalty=penalty,
        submitted_at=submitted_at,
        due_on=due_on,
    )


def removal(agency, *, submitted_at, due_on):
    listing = AbnormalListingFactory(listing_agency=agency)
    return AbnormalRemovalApplication.objects.create(
        listing=listing,
        enterprise=listing.enterprise,
        agency=agency,
        report_year=2025,
        submitted_by=member_of(listing.enterprise),
        submitted_at=submitted_at,
        due_on=due_on,
    )


def test_due_date_over_the_national_day_holidays_and_days_left(monkeypatch, settings):
    settings.OBJECTION_DECISION_WORKING_DAYS = 10
    objection = objection_at(monkeypatch, BEFORE_THE_HOLIDAYS)
    clerk = clerk_of(objection.agency)
    # The service's due date, read as it is: ten working days skip 1-7 October and count Saturday 10th.
    assert objection.due_on == dt.date(2026, 10, 20)
    (item,) = clerk_queue(actor=clerk, today=dt.date(2026, 10, 8)).items
    assert item.due_on == dt.date(2026, 10, 20)
    # After Thursday 8 October: 9, 10 (make-up Saturday), 12-16, 19 and 20.
    assert item.working_days_left == 9 and not item.overdue
    (item,) = clerk_queue(actor=clerk, today=dt.date(2026, 10, 20)).items
    assert item.working_days_left == 0 and not item.overdue


def test_overdue_is_marked_in_working_days_over_a_weekend(monkeypatch, settings):
    settings.OBJECTION_DECISION_WORKING_DAYS = 10
    objection = objection_at(monkeypatch, BEFORE_THE_HOLIDAYS)
    clerk = clerk_of(objection.agency)
    # Monday 26 October: 21, 22, 23 and 26 October have passed since Tuesday 20th; the weekend does not count.
    queue = clerk_queue(actor=clerk, today=dt.date(2026, 10, 26))
    (item,) = queue.items
    assert item.overdue and item.working_days_overdue == 4
    assert (queue.pending, queue.overdue) == (1, 1)
    # Saturday 24 October: overdue by the three working days 21 to 23.
    (item,) = clerk_queue(actor=clerk, today=dt.date(2026, 10, 24)).items
    assert item.overdue and item.working_days_overdue == 3


def test_queue_is_the_earliest_due_first_over_the_three_kinds(monkeypatch, settings):
    settings.OBJECTION_DECISION_WORKING_DAYS = 10
    objection = objection_at(monkeypatch, BEFORE_THE_HOLIDAYS)  # due 20 October
    agency = objection.agency
    september = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    late_repair = repair(agency, submitted_at=september, due_on=dt.date(2026, 10, 30))
    early_removal = removal(agency, submitted_at=september, due_on=dt.date(2026, 9, 8))
    same_day_later = removal(
        agency, submitted_at=september + dt.timedelta(hours=2), due_on=dt.date(2026, 9, 8)
    )
    queue = clerk_queue(actor=clerk_of(agency), today=dt.date(2026, 10, 21))
    assert [item.application for item in queue.items] == [
        early_removal,
        same_day_later,
        objection,
        late_repair,
    ]
    assert [item.kind for item in queue.items] == ["removal", "removal", "objection", "repair"]
    assert [item.overdue for item in queue.items] == [True, True, True, False]
    assert queue.items[0].url.endswith(f"/casework/abnormalremovalapplication/{early_removal.pk}/change/")
    assert queue.items[2].url.endswith(f"/casework/objection/{objection.pk}/change/")


def test_decided_applications_leave_the_queue(monkeypatch):
    objection = objection_at(monkeypatch, BEFORE_THE_HOLIDAYS)
    clerk = clerk_of(objection.agency)
    application_decide(application=objection, outcome="upheld", reason="Stands.", actor=clerk, via="admin")
    queue = clerk_queue(actor=clerk, today=dt.date(2026, 10, 8))
    assert queue.items == [] and queue.pending == 0


def test_a_clerk_sees_only_their_agency_and_a_superuser_every_agency_or_one(monkeypatch):
    ours = objection_at(monkeypatch, BEFORE_THE_HOLIDAYS)
    theirs = repair(AgencyFactory(), submitted_at=BEFORE_THE_HOLIDAYS, due_on=dt.date(2026, 10, 30))
    today = dt.date(2026, 10, 8)
    clerk = clerk_of(ours.agency)
    assert [item.application for item in clerk_queue(actor=clerk, today=today).items] == [ours]
    # A clerk cannot widen the queue to another agency.
    assert [i.application for i in clerk_queue(actor=clerk, today=today, agency=theirs.agency).items] == [
        ours
    ]
    root = User.objects.create_superuser("root", password="x")
    assert {item.application for item in clerk_queue(actor=root, today=today).items} == {ours, theirs}
    filtered = clerk_queue(actor=root, today=today, agency=theirs.agency)
    assert [item.application for item in filtered.items] == [theirs] and filtered.agency == theirs.agency
    nobody = User.objects.create_user("staff-without-agency", is_staff=True)
    assert clerk_queue(actor=nobody, today=today).items == []


def test_queue_reads_a_fixed_number_of_queries(monkeypatch, django_assert_max_num_queries):
    agency = AgencyFactory()
    september = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    for day in range(8):
        repair(agency, submitted_at=september, due_on=dt.date(2026, 9, 10 + day))
        removal(agency, submitted_at=september, due_on=dt.date(2026, 9, 10 + day))
        objection_at(monkeypatch, september, PenaltyFactory(deciding_agency=agency))
    clerk = clerk_of(agency)
    with django_assert_max_num_queries(10):
        queue = clerk_queue(actor=clerk, today=dt.date(2026, 10, 8))
        assert len(queue.items) == 24 and [item.summary for item in queue.items]


def court_entry(agency_code, *, planned_end, number):
    list_type = ListType.objects.get(code="court-defaulters")
    start = planned_end - dt.timedelta(days=400)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        person=PersonFactory(),
        issuing_agency=Agency.objects.get(short_code=agency_code),
        decision_number=number,
        decision_date=start,
        starts_on=start,
        planned_end=planned_end,
    )


def test_entries_ending_this_month_of_the_clerks_agency():
    today = timezone.localdate()
    first, last = month_bounds(today)
    ending = court_entry("spc", planned_end=last, number="(2025)最高法执1号")
    court_entry("spc", planned_end=last + dt.timedelta(days=1), number="(2025)最高法执2号")
    court_entry("spc", planned_end=first - dt.timedelta(days=1), number="(2025)最高法执3号")
    spc = Agency.objects.get(short_code="spc")
    clerk = clerk_of(spc)
    stranger = clerk_of(AgencyFactory(), username="stranger")
    (item,) = entries_expiring_this_month(actor=clerk, today=today)
    assert item.entry == ending and item.url.endswith(f"/blacklists/listentry/{ending.pk}/change/")
    assert entries_expiring_this_month(actor=stranger, today=today) == []


def test_month_bounds_cover_the_whole_month():
    assert month_bounds(dt.date(2026, 2, 14)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert month_bounds(dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def test_objections_count_as_undecided_until_decided(monkeypatch):
    objection = objection_at(monkeypatch, BEFORE_THE_HOLIDAYS)
    assert objection.status == Objection.Status.OPEN
    assert clerk_queue(actor=clerk_of(objection.agency), today=dt.date(2026, 10, 8)).pending == 1
