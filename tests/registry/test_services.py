import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from registry.models import AbnormalOperationListing, AuditEntry, Enterprise, Person, Shareholder
from registry.services import (
    abnormal_listing_create,
    abnormal_listing_remove,
    enterprise_create,
    enterprise_update,
    person_create,
    person_find_by_id_number,
    person_update,
    record_create,
    record_delete,
    record_update,
)
from registry.services.audit import SYSTEM
from tests.factories import (
    AgencyFactory,
    EnterpriseFactory,
    make_resident_id,
    make_uscc,
    with_wrong_check_char,
)
from tests.registry.helpers import tables_containing

pytestmark = pytest.mark.django_db


def enterprise_fields(**overrides):
    return {
        "uscc": make_uscc(),
        "name": "合肥华信科技有限公司",
        "entity_type": "llc",
        "legal_representative": "王芳",
        "registered_capital": Decimal("5000000"),
        "established": dt.date(2018, 3, 9),
        "status": "in_operation",
        "address": "安徽省合肥市高新区创新大道1号",
        "region_id": "340100",
        **overrides,
    }


def test_enterprise_create_writes_an_audit_entry(admin_user):
    enterprise = enterprise_create(actor=admin_user, via="form", **enterprise_fields())
    entry = AuditEntry.objects.get(object_pk=str(enterprise.pk))
    assert entry.actor == admin_user
    assert entry.via == "form"
    assert entry.action == "create"
    assert entry.changes["name"] == [None, "合肥华信科技有限公司"]


def test_enterprise_update_records_old_and_new_values_and_former_name(admin_user):
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields())
    enterprise_update(enterprise=enterprise, actor=admin_user, via="api", name="合肥华信智能科技有限公司")
    enterprise.refresh_from_db()
    assert enterprise.former_names == ["合肥华信科技有限公司"]
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes["name"] == ["合肥华信科技有限公司", "合肥华信智能科技有限公司"]
    assert entry.via == "api"
    assert entry.actor_label == admin_user.username


def test_an_update_that_changes_nothing_writes_nothing():
    enterprise = enterprise_create(actor=SYSTEM, via="command", **enterprise_fields())
    enterprise_update(
        enterprise=enterprise,
        actor=SYSTEM,
        via="form",
        registered_capital=Decimal("5000000.00"),
        name="合肥华信科技有限公司",
    )
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_wrong_check_character_is_refused_with_the_expected_character():
    code = make_uscc()
    with pytest.raises(ValidationError) as caught:
        enterprise_create(actor=SYSTEM, via="form", **enterprise_fields(uscc=with_wrong_check_char(code)))
    assert f"should be {code[17]}" in caught.value.message_dict["uscc"][0]
    assert not Enterprise.objects.exists()


def test_legacy_codes_only_through_import():
    bad = with_wrong_check_char(make_uscc())
    with pytest.raises(ValidationError) as caught:
        enterprise_create(actor=SYSTEM, via="admin", uscc_legacy=True, **enterprise_fields(uscc=bad))
    assert "uscc_legacy" in caught.value.message_dict
    enterprise = enterprise_create(
        actor=SYSTEM, via="import", uscc_legacy=True, **enterprise_fields(uscc=bad)
    )
    assert enterprise.uscc_legacy


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("registered_capital", Decimal("-5"), "cannot be negative"),
        ("established", dt.date(2999, 1, 1), "future"),
        ("region_id", "999999", "region"),
    ],
)
def test_bad_enterprise_values_name_the_field(field, value, message):
    with pytest.raises(ValidationError) as caught:
        enterprise_create(actor=SYSTEM, via="form", **enterprise_fields(**{field: value}))
    assert message in str(caught.value)
    assert not Enterprise.objects.exists()


def test_uscc_cannot_be_changed():
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError, match="cannot be changed"):
        enterprise_update(enterprise=enterprise, actor=SYSTEM, via="form", uscc=make_uscc())


@pytest.mark.parametrize(
    "field", ["religion", "blood_type", "fingerprints", "genes", "medical_history", "血型"]
)
def test_prohibited_personal_data_is_never_accepted(field):
    with pytest.raises(ValidationError) as caught:
        person_create(actor=SYSTEM, via="form", name="赵敏", id_number=make_resident_id(), **{field: "x"})
    assert "prohibited personal data" in str(caught.value)
    assert field in caught.value.message_dict
    assert not Person.objects.exists()


def test_unknown_field_is_refused_by_name():
    with pytest.raises(ValidationError) as caught:
        enterprise_create(actor=SYSTEM, via="form", favourite_colour="red", **enterprise_fields())
    assert "favourite_colour" in caught.value.message_dict


def test_person_create_keeps_no_plaintext_id_number():
    number = make_resident_id(region="110105", birth="19491231")
    person = person_create(actor=SYSTEM, via="form", name="李雷", id_number=number)
    assert person.id_masked == number[:10] + "****" + number[-4:]
    assert person.birth_year == 1949
    assert person.sex == ("M" if int(number[16]) % 2 else "F")
    assert tables_containing(number) == []
    assert tables_containing(number[10:14] + number[14:17]) == []
    assert person_find_by_id_number(id_number=number.lower()) == person


def test_person_create_refuses_a_bad_id_number_and_duplicates():
    number = make_resident_id()
    with pytest.raises(ValidationError, match="check character"):
        person_create(
            actor=SYSTEM, via="form", name="李雷", id_number=number[:17] + ("0" if number[17] != "0" else "1")
        )
    with pytest.raises(ValidationError, match="real birth date"):
        person_create(actor=SYSTEM, via="form", name="李雷", id_number="110105194902300026")
    person_create(actor=SYSTEM, via="form", name="李雷", id_number=number)
    with pytest.raises(ValidationError, match="already registered"):
        person_create(actor=SYSTEM, via="form", name="李雷", id_number=number)


def test_person_update_with_new_id_number_rehashes():
    person = person_create(actor=SYSTEM, via="form", name="李雷", id_number=make_resident_id())
    new_number = make_resident_id(birth="19900505")
    person_update(person=person, actor=SYSTEM, via="form", id_number=new_number)
    person.refresh_from_db()
    assert person.birth_year == 1990
    assert tables_containing(new_number) == []


def test_record_services_audit_create_update_delete(admin_user):
    enterprise = EnterpriseFactory()
    shareholder = record_create(
        model=Shareholder,
        actor=admin_user,
        via="admin",
        enterprise=enterprise,
        kind="other",
        name="合肥产业投资基金",
        subscribed_capital=Decimal("100"),
        paid_in_capital=Decimal("50"),
    )
    record_update(record=shareholder, actor=admin_user, via="admin", paid_in_capital=Decimal("100"))
    key = str(shareholder.pk)
    record_delete(record=shareholder, actor=admin_user, via="admin", note="entered twice")
    actions = list(AuditEntry.objects.filter(object_pk=key).order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]
    assert AuditEntry.objects.get(action="delete").reason == "entered twice"


def test_record_update_refuses_paid_in_over_subscribed_and_keeps_the_old_value():
    enterprise = EnterpriseFactory()
    shareholder = record_create(
        model=Shareholder,
        actor=SYSTEM,
        via="admin",
        enterprise=enterprise,
        kind="other",
        name="投资人",
        subscribed_capital=Decimal("100"),
        paid_in_capital=Decimal("50"),
    )
    with pytest.raises(ValidationError):
        record_update(record=shareholder, actor=SYSTEM, via="admin", paid_in_capital=Decimal("500"))
    shareholder.refresh_from_db()
    assert shareholder.paid_in_capital == Decimal("50")


def test_abnormal_listing_lifecycle():
    agency = AgencyFactory()
    enterprise = EnterpriseFactory()
    listing = abnormal_listing_create(
        enterprise=enterprise,
        reason="annual_report",
        listed_on=dt.date(2025, 7, 1),
        listing_agency=agency,
        actor=SYSTEM,
        via="command",
    )
    with pytest.raises(ValidationError):
        record_delete(record=listing, actor=SYSTEM, via="admin", note="try")
    abnormal_listing_remove(
        listing=listing,
        removal_reason="report_filed",
        removed_on=dt.date(2025, 8, 1),
        removal_agency=agency,
        actor=SYSTEM,
        via="form",
    )
    listing.refresh_from_db()
    assert not listing.is_current
    with pytest.raises(ValidationError, match="already removed"):
        abnormal_listing_remove(
            listing=listing,
            removal_reason="report_filed",
            removed_on=dt.date(2025, 8, 2),
            removal_agency=agency,
            actor=SYSTEM,
            via="form",
        )
    assert AbnormalOperationListing.objects.count() == 1
