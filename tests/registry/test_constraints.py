"""Every rule is refused twice: by full_clean() and by the database itself."""

import datetime as dt
from decimal import Decimal

import pytest

from registry import models
from tests.factories import (
    AbnormalListingFactory,
    AgencyFactory,
    AnnualReportFactory,
    ContributionRecordFactory,
    EnterpriseFactory,
    PersonFactory,
    ShareholderFactory,
    make_uscc,
    with_wrong_check_char,
)
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db


def test_enterprise_wrong_check_character():
    enterprise = EnterpriseFactory.build(uscc=with_wrong_check_char(make_uscc()))
    assert_refused_both_ways(enterprise, message="check character")


def test_enterprise_legacy_flag_lets_the_database_accept_a_failing_code():
    enterprise = EnterpriseFactory.build(uscc=with_wrong_check_char(make_uscc()), uscc_legacy=True)
    enterprise.full_clean()
    enterprise.save()
    assert models.Enterprise.objects.filter(uscc_legacy=True).count() == 1


def test_enterprise_malformed_uscc():
    assert_refused_both_ways(EnterpriseFactory.build(uscc="91340100ABCDEFGHIO"), message="18 characters")


def test_enterprise_negative_capital():
    enterprise = EnterpriseFactory.build(registered_capital=Decimal("-1"))
    assert_refused_both_ways(enterprise, message="cannot be negative")


def test_enterprise_operating_period_order():
    enterprise = EnterpriseFactory.build(
        operating_from=dt.date(2020, 1, 1), operating_to=dt.date(2019, 12, 31)
    )
    assert_refused_both_ways(enterprise, message="cannot end before it starts")


def test_enterprise_approval_not_before_establishment():
    enterprise = EnterpriseFactory.build(established=dt.date(2020, 1, 1), approved_on=dt.date(2019, 12, 31))
    assert_refused_both_ways(enterprise, message="approval date cannot come before")


def test_enterprise_currency_code():
    assert_refused_both_ways(EnterpriseFactory.build(capital_currency="rmb"), message="ISO 4217")


def test_enterprise_duplicate_uscc():
    existing = EnterpriseFactory()
    assert_refused_both_ways(EnterpriseFactory.build(uscc=existing.uscc), message="already exists")


def test_person_hash_and_mask_shape():
    assert_refused_both_ways(PersonFactory.build(id_hash="342301196405063224"), message="HMAC")
    assert_refused_both_ways(PersonFactory.build(id_masked="342301196405063224"), message="masked")


def test_region_level_and_parent():
    region = models.Region(code="349900", name_zh="测试", name_en="Test", level="province")
    assert_refused_both_ways(region, message="ending in 0000")


def test_agency_level_requires_region():
    assert_refused_both_ways(AgencyFactory.build(region_id=None), message="national agency has no region")


def test_shareholder_paid_within_subscribed():
    shareholder = ShareholderFactory.build(
        enterprise=EnterpriseFactory(),
        source_agency=None,
        subscribed_capital=Decimal("100"),
        paid_in_capital=Decimal("200"),
    )
    assert_refused_both_ways(shareholder, message="cannot exceed subscribed")


def test_shareholder_person_link_matches_kind():
    shareholder = ShareholderFactory.build(
        enterprise=EnterpriseFactory(), source_agency=None, kind="enterprise", person=PersonFactory()
    )
    assert_refused_both_ways(shareholder, message="links only")


def test_abnormal_listing_removal_must_be_complete():
    listing = AbnormalListingFactory.build(
        enterprise=EnterpriseFactory(), source_agency=AgencyFactory(), removed_on=dt.date(2024, 9, 1)
    )
    listing.listing_agency = listing.source_agency
    assert_refused_both_ways(listing, message="date, reason and agency together")


def test_one_open_abnormal_listing_per_reason():
    first = AbnormalListingFactory()
    duplicate = AbnormalListingFactory.build(
        enterprise=first.enterprise, source_agency=first.source_agency, listing_agency=first.listing_agency
    )
    assert_refused_both_ways(duplicate, message="already listed for this reason")


def test_annual_report_only_withholdable_fields_may_be_unpublished():
    report = AnnualReportFactory.build(
        enterprise=EnterpriseFactory(), source_agency=None, unpublished_fields=["year"]
    )
    assert_refused_both_ways(report, message="may be withheld")


def test_annual_report_one_per_year():
    report = AnnualReportFactory()
    duplicate = AnnualReportFactory.build(enterprise=report.enterprise, source_agency=None)
    assert_refused_both_ways(duplicate, message="already has a report")


def test_contribution_month_range():
    record = ContributionRecordFactory.build(enterprise=EnterpriseFactory(), source_agency=None, month=13)
    assert_refused_both_ways(record, message="between 1 and 12")


def test_every_model_declares_a_data_classification():
    from django.apps import apps

    from core.classification import Classification

    for model in apps.get_app_config("registry").get_models():
        assert isinstance(model.classification, Classification | int), model.__name__
        for name in getattr(model, "field_classification", {}):
            model._meta.get_field(name)  # overrides name real fields


def test_person_duplicate_id_hash():
    existing = PersonFactory()
    assert_refused_both_ways(PersonFactory.build(id_hash=existing.id_hash), message="already registered")
