"""A listed government body binds its principal, and the person its restriction order names, with reasons."""

import pytest
from django.utils import translation

from blacklists.selectors import restrictions_in_force
from registry.services import government_body_update
from registry.services.audit import SYSTEM
from tests.blacklists.helpers import restriction_order
from tests.factories import GovernmentBodyFactory, PersonFactory
from tests.government.helpers import body_listing

pytestmark = pytest.mark.django_db


def codes(answer) -> set[str]:
    return {item.measure.code for item in answer.measures}


def test_the_principal_of_a_county_government_on_the_defaulter_list_is_restricted_with_the_chain():
    head = PersonFactory(name="李县长")
    county = GovernmentBodyFactory(name="奉新测试县人民政府")
    government_body_update(
        body=county, actor=SYSTEM, via="command", level="county", parent_body=None, principal=head
    )
    entry = body_listing(county, number="(2017)赣0921执120号")
    answer = restrictions_in_force(person=head)
    assert answer.restricted
    assert {"no-flight", "no-star-hotel", "no-high-speed-rail"} <= codes(answer)
    reason = next(item for item in answer.measures if item.measure.code == "no-star-hotel").reasons[0]
    assert reason.entry == entry
    assert reason.link.enterprise == county and reason.link.role == "principal"
    assert [lt.code for lt in reason.lists] == ["court-defaulters", "consumption-restriction"]
    with translation.override("en"):
        text = reason.text
    assert "As principal (person in charge) of 奉新测试县人民政府" in text
    assert "(2017)赣0921执120号" in text and "being on" in text


def test_a_new_principal_is_bound_and_the_former_one_released():
    former, successor = PersonFactory(), PersonFactory()
    county = GovernmentBodyFactory()
    government_body_update(
        body=county, actor=SYSTEM, via="command", level="county", parent_body=None, principal=former
    )
    body_listing(county, number="(2026)赣0921执121号")
    assert restrictions_in_force(person=former).restricted
    government_body_update(
        body=county, actor=SYSTEM, via="command", level="county", parent_body=None, principal=successor
    )
    assert not restrictions_in_force(person=former).restricted
    assert restrictions_in_force(person=successor).restricted


def test_the_person_named_in_the_order_against_a_government_body_is_bound():
    named = PersonFactory()
    county = GovernmentBodyFactory()
    entry = restriction_order(county, named, number="(2026)赣0921执122号")
    answer = restrictions_in_force(person=named)
    assert "no-star-hotel" in codes(answer)
    reason = answer.measures[0].reasons[0]
    assert reason.entry == entry and reason.link.named and reason.link.enterprise == county


def test_a_body_with_nothing_in_force_restricts_nobody():
    head = PersonFactory()
    county = GovernmentBodyFactory()
    government_body_update(
        body=county, actor=SYSTEM, via="command", level="county", parent_body=None, principal=head
    )
    assert not restrictions_in_force(person=head).measures
