"""The demo's writer refuses a planned entry the list's rules do not allow, naming the problem."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blacklists.models import ListEntry, ListType
from demo.listings.agencies import AgencyBook
from demo.listings.plan import PlannedEntry
from demo.listings.subjects import Subject
from demo.listings.write import planned_entries_write
from tests.factories import EnterpriseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def plan(list_type, subject, *, days=365):
    today = timezone.localdate()
    return PlannedEntry(
        list_type=list_type,
        subject=subject,
        agency=AgencyBook().by_id[list_type.owner_id],
        decision_date=today - dt.timedelta(days=20),
        starts_on=today - dt.timedelta(days=10),
        planned_end=today + dt.timedelta(days=days),
        severity="serious",
        circumstance="",
        status=ListEntry.Status.IN_FORCE,
        decision_number="署企信〔2026〕1号",
    )


def test_a_person_on_a_list_of_enterprises_is_refused():
    customs = ListType.objects.get(code="gac-dishonest")
    person = PersonFactory()
    with pytest.raises(ValidationError, match="does not hold persons"):
        planned_entries_write([plan(customs, Subject("person", person.pk, person.name, "110100"))])
    assert not ListEntry.objects.exists()


def test_a_period_longer_than_the_list_allows_is_refused():
    customs = ListType.objects.get(code="gac-dishonest")
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError, match="at most 1095 days"):
        planned_entries_write(
            [plan(customs, Subject("enterprise", enterprise.pk, enterprise.name, "110100"), days=2000)]
        )
    planned_entries_write([plan(customs, Subject("enterprise", enterprise.pk, enterprise.name, "110100"))])
    assert ListEntry.objects.in_force().filter(enterprise=enterprise).count() == 1
