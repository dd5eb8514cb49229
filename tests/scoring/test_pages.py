"""The evaluation in the portal: the company's page, clerks, the public profile, the alert list,
an objection to an evaluation, and the credit-risk class kept out of every public and company view."""

import io
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import AgencyMembership
from casework.models import Objection
from casework.services import objection_submit
from portal.profile.build import enterprise_profile_public
from portal.report.pdf import ReportMeta, render_profile_pdf
from registry.models import Agency
from scoring.models import RiskClassAssessment, RuleSet
from scoring.services import evaluation_run_for, risk_class_run_for
from tests.factories import AgencyFactory, member_of
from tests.scoring.helpers import company, penalise, three_areas

pytestmark = pytest.mark.django_db

RISK_WORDS = ("credit-risk", "risk class", "信用风险", "风险分类")


@pytest.fixture
def graded(default_rule_sets):
    enterprise = company()
    penalty = penalise(enterprise, "50000")
    penalise(enterprise, "50000")
    evaluation = evaluation_run_for(enterprise=enterprise)
    risk_class_run_for(enterprise=enterprise)
    assert RiskClassAssessment.objects.filter(enterprise=enterprise).exists()
    return enterprise, evaluation, penalty


def page_url(enterprise):
    return reverse("portal:evaluation", kwargs={"uscc": enterprise.uscc})


def test_the_company_sees_its_grade_and_every_record_with_dates_and_paths(
    client, graded, django_assert_max_num_queries
):
    enterprise, evaluation, penalty = graded
    client.force_login(member_of(enterprise))
    with django_assert_max_num_queries(25):
        response = client.get(page_url(enterprise), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 200
    assert "C (medium)" in text and "Score 84" in text
    assert penalty.decision_number in text
    item = next(c for c in evaluation.contributions.all() if c.source_pk == penalty.pk)
    with translation.override("en"):
        end, start = date_format(item.counts_until), date_format(item.repairable_from)
    assert f"This record stops counting on {end}; it can be repaired from {start}." in text
    assert reverse("portal:repair", kwargs={"uscc": enterprise.uscc}) in text
    assert "record_type=penalty" in text and "record_type=evaluation" in text
    assert "Invited on" in text  # the briefing invitation of grade C is in its credit file
    assert not any(word in text for word in RISK_WORDS)


def test_another_company_and_the_public_do_not_see_it(client, graded, django_user_model):
    enterprise, _evaluation, _penalty = graded
    other = company()
    client.force_login(member_of(other))
    assert client.get(page_url(enterprise)).status_code == 404
    client.logout()
    assert client.get(page_url(enterprise)).status_code == 302  # to the sign-in page


def test_a_clerk_sees_any_enterprise_without_the_company_links(client, graded, django_user_model):
    enterprise, _evaluation, _penalty = graded
    clerk = django_user_model.objects.create_user(username="clerk", is_staff=True)
    AgencyMembership.objects.create(user=clerk, agency=AgencyFactory())
    client.force_login(clerk)
    text = client.get(page_url(enterprise), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "C (medium)" in text and "record_type=" not in text


def test_the_profile_shows_the_published_grade_only(client, graded):
    enterprise, _evaluation, _penalty = graded
    url = reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc})
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "C (medium)" in text and not any(word in text for word in RISK_WORDS)
    RuleSet.objects.filter(scheme="public_evaluation").update(published=False)
    assert "C (medium)" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_alert_list_page_and_the_profile_notice(client, default_rule_sets):
    enterprise = company()
    three_areas(enterprise)
    evaluation_run_for(enterprise=enterprise)
    text = client.get(reverse("portal:alerts"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert enterprise.name in text and "tax authority" in text
    profile = client.get(
        reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Early warning: on the alert list" in profile.content.decode()


def test_a_bad_alert_page_is_a_400_naming_it(client, default_rule_sets):
    response = client.get(reverse("portal:alerts"), {"page": "x7"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "x7" in response.content.decode()


def test_the_company_objects_to_its_evaluation(client, graded):
    enterprise, evaluation, _penalty = graded
    user = member_of(enterprise)
    client.force_login(user)
    response = client.get(
        reverse("portal:objection-new", kwargs={"uscc": enterprise.uscc}),
        {"record_type": "evaluation", "record_id": evaluation.pk},
    )
    assert response.status_code == 200
    objection = objection_submit(
        enterprise=enterprise,
        record_type="evaluation",
        record_id=evaluation.pk,
        reason="The fine counted twice in this evaluation.",
        documents=[],
        actor=user,
        via="form",
        agency=enterprise.registration_authority,
        record_summary="公共信用综合评价 v1 C",
    )
    assert objection.record_type == Objection.RecordType.EVALUATION
    # Another enterprise's evaluation is not on this company's profile.
    other = evaluation_run_for(enterprise=company())
    response = client.get(
        reverse("portal:objection-new", kwargs={"uscc": enterprise.uscc}),
        {"record_type": "evaluation", "record_id": other.pk},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_report_pdf_has_no_risk_class(graded, language):
    enterprise, _evaluation, _penalty = graded
    meta = ReportMeta(
        number="R", created_at=timezone.now(), verify_url="https://example.org/v", language=language
    )
    with translation.override(language):
        profile = enterprise_profile_public(uscc=enterprise.uscc)
        pdf = render_profile_pdf(profile, meta)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert enterprise.name in re.sub(r"\s+", "", text)  # the report was really read
    assert not any(word in text.lower() for word in RISK_WORDS)
    assert "risk" not in repr(profile).lower()


def test_the_county_bureau_clerk_sees_the_interview_on_the_admin_home(
    client, default_rule_sets, django_user_model
):
    bureau = AgencyFactory(level=Agency.Level.COUNTY)
    enterprise = company(registration_authority=bureau)
    penalise(enterprise, "200000")
    penalise(enterprise, "200000")
    evaluation_run_for(enterprise=enterprise)
    clerk = django_user_model.objects.create_user(username="county", is_staff=True)
    AgencyMembership.objects.create(user=clerk, agency=bureau)
    client.force_login(clerk)
    text = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Warning interviews to hold (1)" in text and enterprise.name in text
    other = django_user_model.objects.create_user(username="other", is_staff=True)
    AgencyMembership.objects.create(user=other, agency=AgencyFactory())
    client.force_login(other)
    assert (
        "Warning interviews to hold (0)"
        in client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
