"""Clerks see and change only their agency's government records in admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from government.models import DishonestyRecord
from registry.models import AuditEntry
from tests.factories import AgencyFactory, DishonestyRecordFactory, GovernmentBodyFactory
from tests.government.helpers import clerk_of

pytestmark = pytest.mark.django_db


def logged_in_clerk(client, agency):
    user = clerk_of(agency)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="government"))
    client.force_login(user)
    return user


def test_a_court_clerk_sees_only_the_courts_records(client):
    court, other = AgencyFactory(kind="court"), AgencyFactory(kind="court")
    own = DishonestyRecordFactory(recording_agency=court, document_number="(2026)赣0921执1号")
    DishonestyRecordFactory(recording_agency=other, document_number="(2026)赣0921执2号")
    logged_in_clerk(client, court)
    page = client.get(reverse("admin:government_dishonestyrecord_changelist"))
    assert page.status_code == 200
    assert "(2026)赣0921执1号" in page.text and "(2026)赣0921执2号" not in page.text
    foreign = DishonestyRecord.objects.get(document_number="(2026)赣0921执2号")
    assert (
        client.get(reverse("admin:government_dishonestyrecord_change", args=[foreign.pk])).status_code == 403
    )
    assert client.get(reverse("admin:government_dishonestyrecord_change", args=[own.pk])).status_code == 200


def test_a_clerk_adds_a_record_through_the_admin_form_and_it_is_audited(client):
    court = AgencyFactory(kind="court")
    body = GovernmentBodyFactory()
    logged_in_clerk(client, court)
    response = client.post(
        reverse("admin:government_dishonestyrecord_add"),
        {
            "subject": body.pk,
            "kind": "lost_case",
            "recording_agency": court.pk,
            "document_number": "(2026)赣09行终3号",
            "case_number": "",
            "facts": "行政强制行为被确认违法",
            "listed_on": "2026-04-01",
            "officials_held_accountable": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = DishonestyRecord.objects.get(document_number="(2026)赣09行终3号")
    assert AuditEntry.objects.filter(object_pk=str(record.pk), via="admin", action="create").exists()


def test_a_clerk_cannot_pick_another_agency_on_the_form(client):
    court, finance = AgencyFactory(kind="court"), AgencyFactory(kind="finance")
    logged_in_clerk(client, court)
    response = client.post(
        reverse("admin:government_dishonestyrecord_add"),
        {
            "subject": GovernmentBodyFactory().pk,
            "kind": "broken_commitment",
            "recording_agency": finance.pk,
            "document_number": "X-1",
            "facts": "未兑现",
            "listed_on": "2026-04-01",
            "officials_held_accountable": "0",
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not DishonestyRecord.objects.exists()
