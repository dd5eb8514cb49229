"""Memoranda, measures and feeds: the shipped data, the services' rules and the database's constraints."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AgencyMembership
from blacklists.models import ListFeed, ListType, Measure, Memorandum
from blacklists.services import (
    list_feed_create,
    list_feed_delete,
    list_feed_update,
    measure_create,
    measure_delete,
    measure_update,
    memorandum_create,
    memorandum_update,
)
from registry.models import Agency, AuditEntry
from registry.services.audit import SYSTEM

pytestmark = pytest.mark.django_db


def agency(code):
    return Agency.objects.get(short_code=code)


def memo(number):
    return Memorandum.objects.get(document_number=number)


def clerk(code):
    user = User.objects.create_user(f"clerk-{code}", password="x", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency(code))
    return user


def measure_fields(**overrides):
    fields = {
        "memorandum": memo("发改财金〔2017〕427号"),
        "code": "no-new-licence",
        "enforcing_agency": agency("samr"),
        "kind": "punishment",
        "category": "market_access",
        "description_zh": "限制新设许可",
        "description_en": "No new licences",
    }
    fields.update(overrides)
    return fields


# --- shipped data ------------------------------------------------------------------------------


def test_customs_memorandum_ships_every_punishment_of_the_seed():
    customs = memo("发改财金〔2017〕427号")
    assert list(customs.trigger_list_types.values_list("code", flat=True)) == ["gac-dishonest"]
    shipped = set(customs.measures.values_list("code", "enforcing_agency__short_code"))
    assert {
        ("more-inspections", "gac"),
        ("document-verification", "gac"),
        ("processing-trade-supervision", "gac"),
        ("customs-guarantee-increase", "gac"),
        ("exit-ban", "mps"),
        ("no-property-purchase", "spc"),
        ("no-luxury-consumption", "spc"),
        ("forex-restriction", "safe"),
        ("no-leadership-role", "samr"),
        ("soe-leadership-restriction", "sasac"),
        ("procurement-ban", "mof"),
        ("securities-issuance-restriction", "csrc"),
        ("financing-restriction", "pboc"),
        ("no-social-insurance-funding", "mohrss"),
        ("forest-land-restriction", "nfga"),
        ("science-project-restriction", "most"),
        ("state-asset-transaction-ban", "sasac"),
        ("financial-institution-restriction", "nfra"),
        ("no-equity-incentive", "csrc"),
        ("food-drug-inspections", "samr"),
        ("hazardous-industry-ban", "mem"),
    } <= shipped
    exit_ban = customs.measures.get(code="exit-ban")
    assert exit_ban.bound_groups == ["legal_representative"]
    assert customs.measures.get(code="no-leadership-role").bound_groups == [
        "legal_representative",
        "directors",
        "supervisors",
        "senior_managers",
    ]


def test_customs_redlist_rewards_of_fig_1_4_b():
    rewards = memo("发改财金〔2016〕2190号")
    assert rewards.measures.filter(kind="punishment").count() == 0
    agencies = set(rewards.measures.values_list("enforcing_agency__short_code", flat=True))
    assert agencies == {
        "gac", "ndrc", "pboc", "nfra", "csrc", "mof", "miit", "mnr", "mee", "sta", "samr", "mem", "ccco",
        "acwf", "acftu", "ccpit",
    }  # fmt: skip


def test_no_fly_and_no_ride_honour_the_seven_agencies():
    seven = {"mps", "ndrc", "spc", "mof", "mohrss", "sta", "csrc"}
    caac = memo("发改财金〔2018〕385号")
    assert set(caac.signatories.values_list("short_code", flat=True)) == seven | {"caac"}
    rail = memo("发改财金〔2018〕384号")
    assert seven <= set(rail.signatories.values_list("short_code", flat=True))
    feeds = set(ListFeed.objects.values_list("source__code", "target__code"))
    assert {
        ("court-defaulters", "consumption-restriction"),
        ("consumption-restriction", "caac-no-fly"),
        ("consumption-restriction", "rail-no-ride"),
        ("sta-major-tax-violations", "caac-no-fly"),
    } <= feeds


def test_court_consumption_restriction_measures_of_the_2015_rules():
    rules = memo("法释〔2015〕17号")
    assert {
        "no-flight", "no-soft-sleeper", "no-high-speed-rail", "no-star-hotel", "no-property-purchase",
        "no-car-purchase", "no-leisure-travel", "no-private-school-fees", "no-high-premium-insurance",
    } <= set(rules.measures.values_list("code", flat=True))  # fmt: skip


def test_jiangsu_surcharges_and_every_enforcing_agency_signed():
    surcharges = Measure.objects.filter(code="electricity-surcharge").order_by("parameter")
    assert [(m.trigger_list_type.code, m.parameter) for m in surcharges] == [
        ("jiangsu-env-credit-red", Decimal("0.0500")),
        ("jiangsu-env-credit-black", Decimal("0.1000")),
    ]
    assert surcharges[0].memorandum.lead_agency.short_code == "jiangsu-eco"
    for measure in Measure.objects.select_related("memorandum"):
        assert measure.memorandum.signatories.filter(pk=measure.enforcing_agency_id).exists(), measure


# --- services ----------------------------------------------------------------------------------


def test_measure_of_an_agency_that_did_not_sign_is_refused():
    with pytest.raises(ValidationError) as error:
        measure_create(actor=SYSTEM, via="admin", **measure_fields(enforcing_agency=agency("cnipa")))
    assert "enforcing_agency" in error.value.message_dict
    measure = measure_create(actor=SYSTEM, via="admin", **measure_fields())
    with pytest.raises(ValidationError):
        measure_update(measure=measure, actor=SYSTEM, via="admin", enforcing_agency=agency("cnipa"))
    assert AuditEntry.objects.filter(object_pk=str(measure.pk), action="create").exists()


def test_clerks_of_a_signatory_maintain_measures_others_may_not():
    customs_clerk, patent_clerk = clerk("gac"), clerk("cnipa")
    measure = measure_create(actor=customs_clerk, via="admin", **measure_fields())
    measure = measure_update(measure=measure, actor=customs_clerk, via="admin", description_en="None at all")
    assert measure.description_en == "None at all"
    with pytest.raises(PermissionDenied):
        measure_create(actor=patent_clerk, via="admin", **measure_fields(code="other"))
    with pytest.raises(PermissionDenied):
        measure_delete(measure=measure, actor=patent_clerk, via="admin")
    pk = measure.pk
    measure_delete(measure=measure, actor=customs_clerk, via="admin", note="duplicate")
    assert AuditEntry.objects.filter(object_pk=str(pk), action="delete").exists()


def test_memorandum_create_and_update_keep_enforcing_agencies_signed():
    customs_clerk = clerk("gac")
    listed = ListType.objects.get(code="gac-dishonest")
    fields = {
        "title_zh": "测试备忘录",
        "title_en": "Test memorandum",
        "document_number": "测试〔2024〕1号",
        "signed_on": dt.date(2024, 1, 1),
        "lead_agency": agency("gac"),
        "in_force_from": dt.date(2024, 1, 1),
    }
    with pytest.raises(PermissionDenied):
        memorandum_create(
            actor=customs_clerk,
            via="admin",
            signatories=[agency("mof")],
            trigger_list_types=[listed],
            **fields,
        )
    created = memorandum_create(
        actor=customs_clerk,
        via="admin",
        signatories=[agency("gac"), agency("mof")],
        trigger_list_types=[listed],
        **fields,
    )
    measure_create(
        actor=customs_clerk, via="admin", **measure_fields(memorandum=created, enforcing_agency=agency("mof"))
    )
    with pytest.raises(ValidationError) as error:
        memorandum_update(memorandum=created, actor=customs_clerk, via="admin", signatories=[agency("gac")])
    assert "signatories" in error.value.message_dict
    memorandum_update(
        memorandum=created,
        actor=customs_clerk,
        via="admin",
        signatories=[agency("gac"), agency("mof"), agency("sta")],
    )
    audit = AuditEntry.objects.filter(object_pk=str(created.pk)).order_by("id")
    assert [entry.action for entry in audit] == ["create", "update"]
    assert audit[1].changes["signatories"][1] == sorted(
        [agency("gac").pk, agency("mof").pk, agency("sta").pk]
    )


def test_feed_that_would_make_a_cycle_is_refused():
    no_fly, court = ListType.objects.get(code="caac-no-fly"), ListType.objects.get(code="court-defaulters")
    with pytest.raises(ValidationError) as error:
        list_feed_create(actor=SYSTEM, via="admin", source=no_fly, target=court)
    assert "court-defaulters → consumption-restriction → caac-no-fly" in error.value.message_dict["target"][0]
    tax = ListType.objects.get(code="sta-major-tax-violations")
    feed = list_feed_create(actor=SYSTEM, via="admin", source=tax, target=court)
    with pytest.raises(ValidationError):
        list_feed_update(feed=feed, actor=SYSTEM, via="admin", source=no_fly)
    list_feed_delete(feed=feed, actor=SYSTEM, via="admin")
    assert not ListFeed.objects.filter(pk=feed.pk).exists()


def test_feed_clerks_are_the_target_owner():
    tax = ListType.objects.get(code="sta-major-tax-violations")
    restricted = ListType.objects.get(code="consumption-restriction")
    with pytest.raises(PermissionDenied):
        list_feed_create(actor=clerk("sta"), via="admin", source=tax, target=restricted)
    assert list_feed_create(actor=clerk("spc"), via="admin", source=tax, target=restricted).pk


# --- constraints: model validation and the database --------------------------------------------


def test_feed_to_itself_is_refused_by_validation_and_database():
    court = ListType.objects.get(code="court-defaulters")
    with pytest.raises(ValidationError):
        ListFeed(source=court, target=court).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ListFeed.objects.create(source=court, target=court)


@pytest.mark.parametrize(
    "overrides",
    [
        {"parameter": Decimal("-0.05"), "parameter_unit": "CNY/kWh"},
        {"parameter": Decimal("0.05")},
        {"binds_subject": False},
        {"code": "No Flight"},
        {"kind": "bonus"},
    ],
)
def test_bad_measures_are_refused_by_validation_and_database(overrides):
    fields = measure_fields(**overrides)
    with pytest.raises(ValidationError):
        Measure(**fields).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(**fields)


def test_memorandum_dates_in_order_by_validation_and_database():
    fields = {
        "title_zh": "测试",
        "title_en": "Test",
        "document_number": "测试〔2024〕2号",
        "signed_on": dt.date(2024, 1, 1),
        "lead_agency": agency("gac"),
        "in_force_from": dt.date(2024, 1, 1),
        "in_force_to": dt.date(2023, 12, 31),
    }
    with pytest.raises(ValidationError):
        Memorandum(**fields).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Memorandum.objects.create(**fields)
