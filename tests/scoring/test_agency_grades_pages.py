"""Agency grades where readers meet them: the profile, the PDF report, the API, the indicator hook."""

import datetime as dt
import io
import re

import pypdf
import pytest
from django.utils import timezone, translation

from portal.profile.build import enterprise_profile_public
from portal.report.pdf import ReportMeta, render_profile_pdf
from scoring.selectors.agency_grades import TAX_CREDIT_SCHEME, agency_grades_current
from tests.factories import EnterpriseFactory
from tests.scoring.agency_grade_helpers import CUSTOMS, grade, last_year, month_ago, today

pytestmark = pytest.mark.django_db
API = "/api/v1/agency-grades/"
INTERNAL_CODES = ("sta-tax-credit", "gac-enterprise-credit", "advanced", "dishonest", "positive", "negative")


def section_html(content: str, key: str) -> str:
    match = re.search(rf'<section id="{key}"[^>]*>(.*?)</section>', content, re.S)
    assert match, f"no section {key}"
    return match.group(1)


def graded_enterprise():
    enterprise = EnterpriseFactory()
    grade(enterprise, "B", year=last_year() - 1, valid_from=dt.date(last_year(), 4, 1))  # replaced
    grade(enterprise, "A", decision_number="皖税信评〔2026〕3号")
    grade(enterprise, "dishonest", scheme_code=CUSTOMS, year=today().year)
    return enterprise


def test_the_current_grades_are_the_newest_in_force_in_each_scheme():
    enterprise, other = graded_enterprise(), EnterpriseFactory()
    grade(other, "D", valid_until=month_ago() + dt.timedelta(days=10))  # ended: not current
    grade(other, "general", scheme_code=CUSTOMS, valid_from=today() + dt.timedelta(days=5))  # not yet
    current = agency_grades_current(enterprise_ids=[enterprise.pk, other.pk])
    assert [(g.enterprise_id, g.scheme.code, g.level.code) for g in current] == [
        (enterprise.pk, CUSTOMS, "dishonest"),
        (enterprise.pk, TAX_CREDIT_SCHEME, "A"),
    ]
    # Filters added afterwards apply to the current grades only: B (replaced) is not "current".
    assert not agency_grades_current().filter(level__code="B").exists()
    assert list(
        agency_grades_current().filter(level__meaning="negative").values_list("enterprise_id", flat=True)
    ) == [enterprise.pk]
    # On an earlier day, last year's B was the grade.
    earlier = dt.date(last_year(), 5, 1)
    assert [g.level.code for g in agency_grades_current(enterprise_ids=[enterprise.pk], on=earlier)] == ["B"]


def test_the_current_grades_of_many_enterprises_take_one_query(django_assert_num_queries):
    ids = [graded_enterprise().pk for _ in range(5)]
    with django_assert_num_queries(1):
        grades = list(agency_grades_current(enterprise_ids=ids))
        names = [
            (g.scheme.name_en, g.level.name_en, g.issuing_agency.name_en, g.enterprise.uscc) for g in grades
        ]
    assert len(names) == 10


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "en",
            [
                "Agency grades",
                "Taxpayer credit grade",
                "Grade A",
                "Dishonest enterprise",
                "State Taxation Administration",
            ],
            ["纳税信用等级", "失信企业"],
        ),
        (
            "zh-hans",
            ["纳税信用等级", "A级", "海关企业信用等级", "失信企业", "国家税务总局", "皖税信评〔2026〕3号"],
            ["Grade A", "Dishonest enterprise"],
        ),
    ],
)
def test_the_profile_shows_the_grades_in_force_in_the_readers_language(client, language, expected, absent):
    enterprise = graded_enterprise()
    content = client.get(f"/enterprises/{enterprise.uscc}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    section = section_html(content, "agency_grades")
    for text in expected:
        assert text in section
    for text in absent:
        assert text not in section
    for code in INTERNAL_CODES:
        assert code not in section
    assert "B级" not in section and ">Grade B<" not in section  # replaced by this year's grade


def test_the_profile_says_when_there_is_no_grade(client):
    enterprise = EnterpriseFactory()
    content = client.get(f"/enterprises/{enterprise.uscc}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No agency has published a grade of the enterprise in force." in section_html(
        content, "agency_grades"
    )


def test_the_pdf_report_lists_the_grades():
    enterprise = graded_enterprise()
    meta = ReportMeta(
        number="R", created_at=timezone.now(), verify_url="https://example.org/v", language="zh-hans"
    )
    with translation.override("zh-hans"):
        profile = enterprise_profile_public(uscc=enterprise.uscc)
    pdf = render_profile_pdf(profile, meta)
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "纳税信用等级" in text and "失信企业" in text


def test_the_api_serves_the_grades_in_force_and_on_request_the_history(client):
    enterprise = graded_enterprise()
    graded_enterprise()
    body = client.get(API, {"uscc": enterprise.uscc}).json()
    assert body["count"] == 2
    tax = next(item for item in body["results"] if item["scheme"]["code"] == TAX_CREDIT_SCHEME)
    assert tax["uscc"] == enterprise.uscc and tax["year"] == last_year() and tax["in_force"] is True
    assert tax["grade"] == {
        "code": "A",
        "rank": 1,
        "name_zh": "A级",
        "name_en": "Grade A",
        "meaning": "positive",
    }
    assert tax["issuing_agency"]["name_en"] == "State Taxation Administration"
    assert tax["decision_number"] == "皖税信评〔2026〕3号"
    history = client.get(
        API, {"uscc": enterprise.uscc, "scheme": TAX_CREDIT_SCHEME, "history": "true"}
    ).json()
    assert [(item["year"], item["grade"]["code"]) for item in history["results"]] == [
        (last_year(), "A"),
        (last_year() - 1, "B"),
    ]
    assert client.get(API, {"scheme": CUSTOMS}).json()["count"] == 2
    assert client.get(API, {"year": str(today().year)}).json()["count"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"uscc": "not-a-code"}, "uscc"),
        ({"year": "26"}, "year"),
        ({"history": "maybe"}, "history"),
    ],
)
def test_the_api_names_a_bad_parameter(client, params, field):
    response = client.get(API, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_an_unknown_scheme_is_not_found(client):
    response = client.get(API, {"scheme": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "nope" in response.json()["error"]["message"]


def test_the_api_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(6):
        graded_enterprise()
    with django_assert_max_num_queries(3):
        body = client.get(API, {"page_size": "50"}).json()
    assert body["count"] == 12
    with django_assert_max_num_queries(3):
        assert client.get(API, {"history": "true", "page_size": "50"}).json()["count"] == 18


def test_the_schemes_are_served_with_their_grades(client):
    body = client.get("/api/v1/agency-grade-schemes/").json()
    tax = next(item for item in body if item["code"] == TAX_CREDIT_SCHEME)
    assert [level["code"] for level in tax["grades"]] == ["A", "B", "M", "C", "D"]
    assert tax["issuing_agency"]["name_zh"] == "国家税务总局"


def test_the_openapi_schema_describes_the_grades(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/agency-grades/" in schema["paths"]
    assert "/api/v1/agency-grade-schemes/" in schema["paths"]
    names = {
        parameter["name"] for parameter in schema["paths"]["/api/v1/agency-grades/"]["get"]["parameters"]
    }
    assert {"uscc", "scheme", "year", "history"} <= names
    assert "AgencyGrade" in schema["components"]["schemas"]
