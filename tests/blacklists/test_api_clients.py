"""API clients, the restriction-check API, its bad-input answers and the log of every call."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from blacklists.models import ApiClient, ListType, RestrictionCheck
from blacklists.selectors import restriction_checks_for_subject
from blacklists.services import api_client_create, api_client_update, list_entry_create, token_hash
from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from tests.blacklists.helpers import restriction_order
from tests.factories import EnterpriseFactory, KeyPersonnelFactory, PersonFactory, make_resident_id

pytestmark = pytest.mark.django_db
URL = "/api/v1/restrictions/"
TODAY = timezone.localdate()


@pytest.fixture
def token():
    _client, token = api_client_create(
        actor=SYSTEM, via="command", name="某航空公司订票系统", scopes=["restrictions"]
    )
    return token


def get(client, token, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(URL, params, **headers)


def listed(list_code, number, **subject):
    list_type = ListType.objects.get(code=list_code)
    start = TODAY - dt.timedelta(days=10)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        **subject,
    )


def test_command_prints_the_token_once_and_keeps_only_its_hash():
    out = io.StringIO()
    call_command("create_api_client", "--name", "国家电网江苏", "--scope", "restrictions", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="国家电网江苏")
    assert client.token_hash == token_hash(token) and token not in str(client.__dict__)
    assert client.scopes == ["restrictions"] and token.startswith(client.token_prefix)
    assert AuditEntry.objects.filter(object_pk=str(client.pk), via="command", action="create").exists()
    assert token not in str(AuditEntry.objects.get(object_pk=str(client.pk)).changes)


def test_no_token_bad_token_or_missing_scope(client, token):
    uscc = EnterpriseFactory().uscc
    assert get(client, None, uscc=uscc).status_code == 401
    assert get(client, "cpk_not-a-token", uscc=uscc).status_code == 401
    other, other_token = api_client_create(actor=SYSTEM, via="command", name="无权限客户端", scopes=[])
    response = get(client, other_token, uscc=uscc)
    assert response.status_code == 403 and response.json()["error"]["status"] == 403
    api_client_update(client=other, actor=SYSTEM, via="command", scopes=["restrictions"], is_active=False)
    assert get(client, other_token, uscc=uscc).status_code == 401
    assert get(client, token, uscc=uscc).status_code == 200


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"uscc": "91340100MA2TEWT01X", "id_number": "340100198001010011"}, {"uscc", "id_number"}),
        ({}, {"uscc", "id_number"}),
        ({"uscc": "91340100MA2TESTO1"}, {"uscc"}),
        ({"id_number": "34010019800101001"}, {"id_number"}),
        ({"id_number": "340100198013010011"}, {"id_number"}),
        ({"uscc": "USCC", "measure": "no-such-measure"}, {"uscc"}),
        ({"uscc": "91340100MA2TEWT01X", "measure": "no-such-measure"}, {"measure"}),
        ({"id_number": "X", "on": "2024-02-30"}, {"on"}),
        ({"uscc": "91340100MA2TESTO1", "on": "tomorrow"}, {"uscc", "on"}),
    ],
)
def test_bad_input_is_a_400_naming_each_parameter(client, token, params, named):
    response = get(client, token, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and named <= set(error["fields"])
    assert not RestrictionCheck.objects.exists()


def test_enterprise_check_with_reasons_and_log(client, token):
    company = EnterpriseFactory(name="合肥测试进出口有限公司")
    entry = listed("gac-dishonest", "署信〔2024〕9号", enterprise=company)
    body = get(client, token, uscc=company.uscc.lower(), measure="procurement-ban").json()
    assert body["restricted"] is True and body["on"] == TODAY.isoformat()
    assert body["subject"] == {"kind": "enterprise", "uscc": company.uscc, "name": "合肥测试进出口有限公司"}
    (measure,) = body["measures"]
    assert measure["code"] == "procurement-ban" and measure["kind"] == "punishment"
    assert measure["enforcing_agency"]["code"] == "mof" and measure["until"] == entry.planned_end.isoformat()
    (reason,) = measure["reasons"]
    assert reason["entry"]["decision_number"] == "署信〔2024〕9号"
    assert reason["entry"]["issuing_agency"]["code"] == "gac"
    assert reason["memorandum"]["document_number"] == "发改财金〔2017〕427号"
    assert reason["link"] is None and reason["via_lists"] == []
    check = RestrictionCheck.objects.get()
    assert (check.client.name, check.enterprise, check.identifier) == ("某航空公司订票系统", company, "uscc")
    assert check.restricted and check.measure_code == "procurement-ban" and check.on == TODAY
    assert timezone.now() - check.at < dt.timedelta(minutes=1)
    assert list(restriction_checks_for_subject(enterprise=company)) == [check]


def test_person_check_via_company_never_echoes_the_id_number(client, token):
    number = make_resident_id()
    person = PersonFactory(id_number=number)
    company = EnterpriseFactory()
    KeyPersonnelFactory(enterprise=company, person=person, role="legal_representative")
    listed("gac-dishonest", "署信〔2024〕10号", enterprise=company)
    listed("court-defaulters", "(2024)皖0104执9号", person=person)
    response = get(client, token, id_number=number.lower(), measure="exit-ban", on=TODAY.isoformat())
    assert number not in response.content.decode()
    body = response.json()
    assert body["subject"]["id_number"] == person.id_masked and body["restricted"]
    (reason,) = body["measures"][0]["reasons"]
    assert reason["link"] == {
        "kind": "post",
        "role": "legal_representative",
        "register_role": "legal_representative",
        "enterprise": {"uscc": company.uscc, "name": company.name},
    }
    flights = get(client, token, id_number=number, measure="no-flight").json()["measures"]
    caac = next(item for item in flights if item["enforcing_agency"]["code"] == "caac")
    assert [item["code"] for item in caac["reasons"][0]["via_lists"]] == [
        "consumption-restriction",
        "caac-no-fly",
    ]
    assert RestrictionCheck.objects.filter(person=person, identifier="id_number").count() == 2


def test_person_named_in_an_order_is_bound_by_it_without_a_post(client, token):
    number = make_resident_id(region="320102", birth="19750808")
    named = PersonFactory(id_number=number, name="赵六")
    company = EnterpriseFactory(name="南京某某贸易有限公司")
    entry = restriction_order(company, named, number="(2025)苏0102执501号")
    body = get(client, token, id_number=number, measure="no-flight", on="2026-01-15").json()
    assert body["restricted"] is True and body["subject"]["name"] == "赵六"
    (measure,) = body["measures"]
    assert measure["enforcing_agency"]["code"] == "spc" and measure["since"] == "2025-03-01"
    (reason,) = measure["reasons"]
    assert reason["entry"]["id"] == entry.pk and reason["entry"]["subject_name"] == "南京某某贸易有限公司"
    assert reason["link"] == {
        "kind": "named_in_order",
        "role": "legal_representative",
        "register_role": None,
        "enterprise": {"uscc": company.uscc, "name": "南京某某贸易有限公司"},
    }
    assert reason["text"].startswith("Named in the consumption-restriction order against 南京某某")
    assert number not in str(body)


def test_unknown_subject_looks_like_an_unrestricted_one(client, token, django_assert_num_queries):
    person = PersonFactory(id_number=(known := make_resident_id()))
    unknown = make_resident_id()
    get(client, token, id_number=known)  # warm caches (content types, translations)
    # One of them reads the client's rate-limit standing for the headers (the check is not counted).
    with django_assert_num_queries(6) as known_queries:
        known_body = get(client, token, id_number=known).json()
    with django_assert_num_queries(len(known_queries.captured_queries)):
        unknown_body = get(client, token, id_number=unknown).json()
    assert set(known_body) == set(unknown_body) == {"subject", "on", "restricted", "measures"}
    assert unknown_body["restricted"] is False and unknown_body["measures"] == []
    assert set(known_body["subject"]) == set(unknown_body["subject"]) == {"kind", "id_number"}
    uscc_known, uscc_unknown = EnterpriseFactory().uscc, EnterpriseFactory.build().uscc
    with django_assert_num_queries(5) as enterprise_queries:
        get(client, token, uscc=uscc_known)
    with django_assert_num_queries(len(enterprise_queries.captured_queries)):
        assert get(client, token, uscc=uscc_unknown).json()["measures"] == []
    logged = RestrictionCheck.objects.filter(identifier="id_number", person__isnull=True).get()
    assert logged.client.name == "某航空公司订票系统" and not logged.restricted
    assert RestrictionCheck.objects.filter(person=person).count() == 2
    assert unknown not in str(list(RestrictionCheck.objects.values()))


def test_redlisted_enterprise_has_rewards_but_is_not_restricted(client, token):
    company = EnterpriseFactory()
    listed("gac-advanced-certified", "AEO-2024-9", enterprise=company, permanent=True)
    body = get(client, token, uscc=company.uscc).json()
    assert body["restricted"] is False and {m["kind"] for m in body["measures"]} == {"reward"}
    assert body["measures"][0]["until"] is None
    check = RestrictionCheck.objects.get()
    assert not check.restricted and check.measure_count == len(body["measures"])
