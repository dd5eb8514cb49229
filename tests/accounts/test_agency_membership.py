import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AgencyMembership
from accounts.permissions import clerk_agency
from accounts.services import agency_membership_create, agency_membership_delete, agency_membership_update
from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_a_clerk_is_assigned_moved_and_removed_through_audited_services():
    clerk = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
    first, second = AgencyFactory(), AgencyFactory()
    membership = agency_membership_create(user=clerk, agency=first, actor=SYSTEM, via="command")
    pk = membership.pk
    assert clerk_agency(get_user_model().objects.get(pk=clerk.pk)) == first
    agency_membership_update(membership=membership, agency=second, actor=SYSTEM, via="command")
    assert AgencyMembership.objects.get(pk=pk).agency == second
    agency_membership_delete(membership=membership, actor=SYSTEM, via="command", note="left the agency")
    assert not AgencyMembership.objects.exists()
    actions = AuditEntry.objects.filter(
        content_type__app_label="accounts",
        content_type__model="agencymembership",
        object_pk=str(pk),
    ).values_list("action", flat=True)
    assert sorted(actions) == ["create", "delete", "update"]


def test_a_clerk_works_for_one_agency_only_in_the_service_and_the_database():
    clerk = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
    agency_membership_create(user=clerk, agency=AgencyFactory(), actor=SYSTEM, via="command")
    with pytest.raises(ValidationError):
        agency_membership_create(user=clerk, agency=AgencyFactory(), actor=SYSTEM, via="command")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyMembership.objects.create(user=clerk, agency=AgencyFactory())
