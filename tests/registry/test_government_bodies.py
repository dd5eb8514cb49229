"""Government bodies in the register: kinds from the USCC, level, parent body and principal."""

import pytest
from django.core.exceptions import ValidationError

from core.identifiers import uscc_public_sector_kind
from registry.models import AuditEntry
from registry.services import enterprise_create, government_body_update
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory, GovernmentBodyFactory, PersonFactory, make_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        ("11", "government_organ"),
        ("12", "public_institution"),
        ("13", "mass_organisation"),
        ("51", "social_organisation"),
        ("53", "social_organisation"),
        ("54", "village_committee"),
        ("91", ""),
        ("92", ""),
    ],
)
def test_the_public_sector_kind_read_from_the_uscc(category, kind):
    assert uscc_public_sector_kind(make_uscc(category=category)) == kind


def test_level_parent_and_principal_are_set_and_audited():
    province = GovernmentBodyFactory(level="provincial")
    city = GovernmentBodyFactory(level="prefecture", parent_body=province)
    county = GovernmentBodyFactory(level="")
    head = PersonFactory()
    government_body_update(
        body=county, actor=SYSTEM, via="admin", level="county", parent_body=city, principal=head
    )
    county.refresh_from_db()
    assert (county.level, county.parent_body, county.principal) == ("county", city, head)
    assert list(city.subordinate_bodies.all()) == [county]
    entry = AuditEntry.objects.filter(object_pk=str(county.pk), action="update").get()
    assert entry.changes["level"] == ["", "county"] and entry.changes["principal_id"] == [None, head.pk]


def test_a_parent_below_the_body_is_refused():
    township = GovernmentBodyFactory(level="township")
    county = GovernmentBodyFactory(level="county")
    with pytest.raises(ValidationError, match="at a lower level than the body itself"):
        government_body_update(
            body=county, actor=SYSTEM, via="admin", level="county", parent_body=township, principal=None
        )


def test_a_loop_of_parent_bodies_is_refused():
    upper = GovernmentBodyFactory(level="county")
    lower = GovernmentBodyFactory(level="county", parent_body=upper)
    with pytest.raises(ValidationError, match="the chain would loop"):
        government_body_update(
            body=upper, actor=SYSTEM, via="admin", level="county", parent_body=lower, principal=None
        )
    with pytest.raises(ValidationError, match="cannot be its own parent"):
        government_body_update(
            body=upper, actor=SYSTEM, via="admin", level="county", parent_body=upper, principal=None
        )


def test_a_company_gets_no_level_parent_or_principal():
    company = EnterpriseFactory()
    with pytest.raises(ValidationError, match="not a government body"):
        government_body_update(
            body=company, actor=SYSTEM, via="admin", level="county", parent_body=None, principal=None
        )
    with pytest.raises(ValidationError, match="Only a government body or other public-sector subject"):
        enterprise_create(
            actor=SYSTEM,
            via="admin",
            uscc=make_uscc(),
            name="合肥测试层级有限公司",
            entity_type="llc",
            status="in_operation",
            region_id="340100",
            level="county",
        )


def test_a_parent_must_be_a_public_body():
    county = GovernmentBodyFactory()
    with pytest.raises(ValidationError, match="parent body must itself be a government body"):
        government_body_update(
            body=county,
            actor=SYSTEM,
            via="admin",
            level="county",
            parent_body=EnterpriseFactory(),
            principal=None,
        )
