import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import (
    AbnormalListingFactory,
    AnnualReportFactory,
    ContributionRecordFactory,
    EnterpriseFactory,
    KeyPersonnelFactory,
    PenaltyFactory,
    PersonFactory,
    ShareholderFactory,
    TaxRecordFactory,
    UtilityArrearFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db


def populated_enterprise(records_per_type: int = 1):
    enterprise = EnterpriseFactory(legal_representative_person=PersonFactory())
    for month in range(records_per_type):
        ShareholderFactory(enterprise=enterprise)
        KeyPersonnelFactory(enterprise=enterprise, person=PersonFactory())
        PenaltyFactory(enterprise=enterprise)
        AnnualReportFactory(enterprise=enterprise, year=2010 + month, unpublished_fields=["revenue"])
        ContributionRecordFactory(enterprise=enterprise, month=month % 12 + 1, year=2020 + month // 12)
        TaxRecordFactory(enterprise=enterprise)
        UtilityArrearFactory(enterprise=enterprise)
    AbnormalListingFactory(enterprise=enterprise)
    return enterprise


def test_enterprise_detail_returns_public_fields_and_sections(client):
    enterprise = populated_enterprise()
    response = client.get(f"/api/v1/enterprises/{enterprise.uscc}/")
    assert response.status_code == 200
    body = response.json()
    assert body["uscc"] == enterprise.uscc
    assert body["name"] == enterprise.name
    assert body["region"]["code"] == "340100"
    assert len(body["shareholders"]) == 1
    assert body["penalties"][0]["deciding_agency"]["name_zh"]
    assert body["abnormal_listings"][0]["reason"] == "annual_report"


def test_public_audience_never_sees_restricted_or_government_data(client):
    enterprise = populated_enterprise()
    body = client.get(f"/api/v1/enterprises/{enterprise.uscc}/").json()
    assert "contribution_records" not in body  # restricted
    assert "utility_arrears" not in body  # government only
    assert "amount_paid" not in body["tax_records"][0]
    assert body["tax_records"][0]["credit_grade"] == "A"
    assert "person" not in body["key_personnel"][0]
    assert body["legal_representative_person"] is None
    report = body["annual_reports"][0]
    assert report["revenue"] is None and report["unpublished_fields"] == ["revenue"]
    assert report["total_assets"] is not None


def test_government_users_see_everything_but_never_a_full_id_number(admin_client):
    enterprise = populated_enterprise()
    body = admin_client.get(f"/api/v1/enterprises/{enterprise.uscc}/").json()
    assert len(body["utility_arrears"]) == 1
    assert len(body["contribution_records"]) == 1
    assert body["annual_reports"][0]["revenue"] is not None
    assert "****" in body["legal_representative_person"]


def test_query_count_does_not_grow_with_records(client, django_assert_max_num_queries):
    small, large = populated_enterprise(1), populated_enterprise(15)
    with django_assert_max_num_queries(14):
        client.get(f"/api/v1/enterprises/{small.uscc}/")
    with django_assert_max_num_queries(14):
        body = client.get(f"/api/v1/enterprises/{large.uscc}/").json()
    assert len(body["penalties"]) == 15


def test_malformed_uscc_names_the_parameter(client):
    response = client.get("/api/v1/enterprises/not-a-code/")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert "uscc" in error["fields"]


def test_unknown_uscc_is_a_json_404(client):
    response = client.get(f"/api/v1/enterprises/{make_uscc()}/")
    assert response.status_code == 404
    assert "No enterprise is registered" in response.json()["error"]["message"]


def test_list_filters_and_paginates(client):
    for _ in range(3):
        EnterpriseFactory(region_id="340100", status="in_operation")
    EnterpriseFactory(region_id="110100", status="revoked")
    body = client.get("/api/v1/enterprises/?region=340000&page_size=2").json()
    assert body["estimated_count"] == 3 and body["estimated_count_basis"] == "exact"
    assert len(body["results"]) == 2
    assert body["next"] and body["previous"] is None
    rest = client.get(body["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None and rest["previous"]
    assert client.get("/api/v1/enterprises/?status=revoked").json()["estimated_count"] == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=abc", "page"),
        ("page_size=1000", "page_size"),
        ("status=bogus", "status"),
        ("established_from=2020-13-45", "established_from"),
    ],
)
def test_bad_list_parameters_are_named(client, query, parameter):
    response = client.get(f"/api/v1/enterprises/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()["error"]["fields"]


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/enterprises/{uscc}/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_anonymous_clients_are_throttled(client, settings, frozen_clock):
    enterprise = EnterpriseFactory()
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "anonymous": "2/minute"}
    codes = [client.get(f"/api/v1/enterprises/{enterprise.uscc}/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_decimal_and_date_formats(client):
    enterprise = EnterpriseFactory(registered_capital=Decimal("1234.50"), established=dt.date(2001, 2, 3))
    body = client.get(f"/api/v1/enterprises/{enterprise.uscc}/").json()
    assert body["registered_capital"] == "1234.50"
    assert body["established"] == "2001-02-03"


def test_parameters_are_held_to_the_published_schema(client):
    """Unknown, repeated and out-of-range parameters are refused, each named (core/api/contract.py)."""
    response = client.get("/api/v1/enterprises/?name=a&name=b&colour=red&page_size=500&uscc_legacy=maybe")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"name", "colour", "page_size", "uscc_legacy"}
    assert "once" in fields["name"][0] and "page_size" in fields["colour"][0]
    assert "from 1 to 100" in fields["page_size"][0]
    assert client.get("/api/v1/enterprises/?page_size=100&uscc_legacy=true").status_code == 200


def test_an_address_outside_the_api_is_a_json_404(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
