import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from blacklists.models import ApiClient, RestrictionCheck
from tests.factories import (
    AnnualReportFactory,
    ContributionRecordFactory,
    EnterpriseFactory,
    PenaltyFactory,
    TaxRecordFactory,
)
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    enterprise = EnterpriseFactory(name="自己的有限公司")
    TaxRecordFactory(enterprise=enterprise, amount_paid=Decimal("987654.32"), tax_rate=Decimal("13"))
    ContributionRecordFactory(
        enterprise=enterprise, amount_due=Decimal("45678"), amount_paid=Decimal("40000")
    )
    PenaltyFactory(enterprise=enterprise)
    return enterprise


def test_members_see_restricted_data_the_public_does_not(client, company):
    user = make_user("own@example.com")
    member(user, company)
    client.force_login(user)
    page = client.get(reverse("portal:company", kwargs={"uscc": company.uscc})).content.decode()
    assert "987,654.32" in page or "987654.32" in page
    assert "45,678" in page or "45678" in page
    assert reverse("portal:enterprise", kwargs={"uscc": company.uscc}) in page
    public = client.get(reverse("portal:enterprise", kwargs={"uscc": company.uscc})).content.decode()
    assert "987,654.32" not in public and "987654.32" not in public
    assert "45,678" not in public and "45678" not in public


def test_other_enterprises_users_and_visitors_get_404(client, company):
    other = EnterpriseFactory()
    intruder = make_user("intruder@example.com")
    member(intruder, other, "administrator")
    url = reverse("portal:company", kwargs={"uscc": company.uscc})
    assert client.get(url).status_code == 302
    client.force_login(intruder)
    response = client.get(url)
    assert response.status_code == 404
    assert "987654" not in response.content.decode()
    assert client.get(reverse("portal:company", kwargs={"uscc": "not-a-code"})).status_code == 404


def test_shows_who_checked_it(client, company):
    api_client = ApiClient.objects.create(
        name="某航空公司购票系统", token_prefix="abcd1234", token_hash="f" * 64
    )
    RestrictionCheck.objects.create(
        client=api_client,
        at=timezone.now() - dt.timedelta(hours=1),
        on=timezone.localdate(),
        identifier="uscc",
        enterprise=company,
        restricted=False,
        measure_count=0,
    )
    user = make_user("checked@example.com")
    member(user, company)
    client.force_login(user)
    page = client.get(reverse("portal:company", kwargs={"uscc": company.uscc})).content.decode()
    assert "某航空公司购票系统" in page
    assert "No joint rewards or punishments are in force." in page


def test_company_view_query_count(client, company, django_assert_max_num_queries):
    user = make_user("q@example.com")
    member(user, company)
    client.force_login(user)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("portal:company", kwargs={"uscc": company.uscc})).status_code == 200


def test_members_see_which_report_fields_they_withheld_by_name(client, company):
    AnnualReportFactory(enterprise=company, year=2024, unpublished_fields=["revenue", "guarantees"])
    user = make_user("withheld@example.com")
    member(user, company)
    client.force_login(user)
    page = client.get(reverse("portal:company", kwargs={"uscc": company.uscc})).content.decode()
    assert '2024: <span class="withheld">total revenue, guarantees provided</span>' in page
