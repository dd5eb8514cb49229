import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from accounts.models import AgencyMembership, EnterpriseMembership
from accounts.selectors import enterprise_for_actor
from accounts.services import require_acts_for
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def user(name: str, **extra):
    return get_user_model().objects.create_user(
        username=name, email=f"{name}@example.com", password="x", **extra
    )


def test_members_pass_and_the_administrator_role_is_checked_when_asked():
    enterprise = EnterpriseFactory(name="甲有限公司")
    filer, admin = user("filer"), user("admin1")
    EnterpriseMembership.objects.create(user=filer, enterprise=enterprise, role="filer")
    EnterpriseMembership.objects.create(user=admin, enterprise=enterprise, role="administrator")
    require_acts_for(filer, enterprise)
    require_acts_for(admin, enterprise)
    require_acts_for(admin, enterprise, role="administrator")
    with pytest.raises(PermissionDenied, match="Only an administrator of 甲有限公司"):
        require_acts_for(filer, enterprise, role="administrator")


def test_everyone_else_is_refused_with_the_enterprise_named():
    enterprise, elsewhere = EnterpriseFactory(name="甲有限公司"), EnterpriseFactory()
    other_member = user("other")
    EnterpriseMembership.objects.create(user=other_member, enterprise=elsewhere, role="administrator")
    clerk = user("clerk", is_staff=True)
    AgencyMembership.objects.create(user=clerk, agency=AgencyFactory())
    superuser = user("root", is_staff=True, is_superuser=True)
    for actor in (other_member, clerk, superuser, SYSTEM, AnonymousUser(), None):
        with pytest.raises(PermissionDenied) as refused:
            require_acts_for(actor, enterprise)
        assert "甲有限公司" in str(refused.value) and enterprise.uscc in str(refused.value)


def test_the_refusal_is_translated():
    enterprise = EnterpriseFactory(name="甲有限公司")
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as refused:
        require_acts_for(user("outsider"), enterprise)
    assert "只有" in str(refused.value)


def test_the_view_helper_gives_the_enterprise_to_its_members_and_404_to_everyone_else():
    enterprise = EnterpriseFactory()
    filer, outsider = user("filer"), user("outsider")
    EnterpriseMembership.objects.create(user=filer, enterprise=enterprise, role="filer")
    assert enterprise_for_actor(filer, f" {enterprise.uscc.lower()} ") == enterprise
    for actor, code, role in [
        (outsider, enterprise.uscc, None),  # exists, but not theirs: the same answer as unknown
        (AnonymousUser(), enterprise.uscc, None),
        (filer, "91340100MA0000000X", None),  # unknown
        (filer, "not-a-code", None),
        (filer, enterprise.uscc, "administrator"),  # theirs, without the role asked for
    ]:
        with pytest.raises(Http404):
            enterprise_for_actor(actor, code, role=role)
