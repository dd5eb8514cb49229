import pytest

from blacklists.services import api_client_create
from registry.services.audit import SYSTEM
from scoring.models import RuleSet
from scoring.services import evaluation_run_for, risk_class_run_for
from tests.factories import member_of
from tests.scoring.helpers import company, penalise, three_areas

pytestmark = pytest.mark.django_db


def token(name, scopes):
    return api_client_create(actor=SYSTEM, via="command", name=name, scopes=scopes)[1]


def bearer(value):
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


@pytest.fixture
def graded(default_rule_sets):
    enterprise = company()
    penalise(enterprise, "50000")
    penalise(enterprise, "50000")
    evaluation_run_for(enterprise=enterprise)
    risk_class_run_for(enterprise=enterprise)
    return enterprise


def test_the_list_needs_the_evaluations_scope(client, graded):
    assert client.get("/api/v1/evaluations/").status_code == 401
    refused = client.get("/api/v1/evaluations/", **bearer(token("银行", ["restrictions"])))
    assert refused.status_code == 403 and "evaluations" in refused.content.decode()
    allowed = client.get("/api/v1/evaluations/", {"grade": "C"}, **bearer(token("信用平台", ["evaluations"])))
    assert allowed.status_code == 200
    assert [row["uscc"] for row in allowed.json()["results"]] == [graded.uscc]


def test_a_bad_grade_is_named(client, graded):
    response = client.get(
        "/api/v1/evaluations/", {"grade": "E"}, **bearer(token("信用平台", ["evaluations"]))
    )
    assert response.status_code == 400 and "grade" in response.json()["error"]["fields"]


def test_the_public_reads_a_published_evaluation_with_its_explanation(client, graded):
    data = client.get(f"/api/v1/evaluations/{graded.uscc}/").json()
    assert data["grade"] == "C" and data["published"] is True
    assert len(data["explanation"]) == 2 and data["explanation"][0]["counts_until"]
    assert data["history"][0]["grade"] == "C"
    assert "risk" not in str(data).lower()


def test_an_unpublished_evaluation_only_for_scoped_clients_and_the_company(client, graded):
    RuleSet.objects.filter(scheme="public_evaluation").update(published=False)
    url = f"/api/v1/evaluations/{graded.uscc}/"
    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(token("银行", ["restrictions"]))).status_code == 404
    assert client.get(url, **bearer(token("信用平台", ["evaluations"]))).json()["grade"] == "C"
    client.force_login(member_of(graded))
    assert client.get(url).json()["grade"] == "C"
    client.force_login(member_of(company(), "other"))
    assert client.get(url).status_code == 404


def test_the_alert_list_is_public(client, default_rule_sets):
    enterprise = company()
    three_areas(enterprise)
    evaluation_run_for(enterprise=enterprise)
    data = client.get("/api/v1/alerts/", HTTP_ACCEPT_LANGUAGE="en").json()
    [row] = data["results"]
    assert row["uscc"] == enterprise.uscc and len(row["areas"]) == 3


def test_the_schema_names_the_endpoints(client, db):
    text = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/evaluations/{uscc}/" in text and "/api/v1/alerts/" in text
