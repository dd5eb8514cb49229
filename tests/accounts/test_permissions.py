import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from accounts.models import EnterpriseMembership
from accounts.permissions import acts_for, enterprises_of
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.create_user(username=name, email=f"{name}@example.com", password="x")


def test_members_act_for_their_enterprises_only():
    a, b = EnterpriseFactory(name="甲有限公司"), EnterpriseFactory(name="乙有限公司")
    filer, admin, stranger = user("filer"), user("admin1"), user("stranger")
    EnterpriseMembership.objects.create(user=filer, enterprise=a, role="filer")
    EnterpriseMembership.objects.create(user=admin, enterprise=a, role="administrator")
    EnterpriseMembership.objects.create(user=admin, enterprise=b, role="filer")
    assert acts_for(filer, a) and not acts_for(filer, b)
    assert not acts_for(filer, a, role="administrator")
    assert acts_for(admin, a, role="administrator") and not acts_for(admin, b, role="administrator")
    assert not acts_for(stranger, a) and not acts_for(AnonymousUser(), a)
    assert set(enterprises_of(admin)) == {a, b}
    assert not enterprises_of(AnonymousUser()).exists()


def test_database_refuses_a_second_membership_and_unknown_roles():
    enterprise, member = EnterpriseFactory(), user("member")
    EnterpriseMembership.objects.create(user=member, enterprise=enterprise)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseMembership.objects.create(user=member, enterprise=enterprise, role="administrator")
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseMembership.objects.create(user=user("other"), enterprise=enterprise, role="owner")
