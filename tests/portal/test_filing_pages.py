import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import EnterpriseMembership
from filings.forms import FILING_LISTS
from filings.models import AnnualReportFiling
from portal.filing_steps import STEPS
from registry.models import AnnualReport, Document
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.filings.test_filings import full_data

pytestmark = pytest.mark.django_db
YEAR = 2025  # the filing window for 2025 has closed by the time these tests run: submissions are late
PDF = b"%PDF-1.4 synthetic annual report\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32 + b"IEND\xaeB`\x82"
ROWS = {
    "websites": {
        "websites-0-kind": "shop",
        "websites-0-name": "旗舰店",
        "websites-0-url": "https://shop.example.com",
    },
    "guarantees": {
        "guarantees-0-creditor": "某银行",
        "guarantees-0-debtor": "某公司",
        "guarantees-0-principal": "100,000",
        "guarantees-0-period_from": "2025-01-01",
        "guarantees-0-period_to": "2025-12-31",
        "guarantees-0-kind": "joint",
    },
}
WITHHELD = {"assets": {"withhold_revenue": "on"}, "guarantees": {"withhold_guarantees": "on"}}


def step_data(step, action="continue", **overrides):
    values = full_data()
    data = {"action": action}
    data.update({name: values[name] for name in step.fields if name in values})
    if step.list_key:
        data[f"{step.list_key}-TOTAL_FORMS"] = "2"
        data[f"{step.list_key}-INITIAL_FORMS"] = "0"
        data.update(ROWS.get(step.list_key, {}))
    data.update(WITHHELD.get(step.slug, {}))
    data.update(overrides)
    return data


@pytest.fixture
def enterprise():
    return EnterpriseFactory(registration_authority=AgencyFactory())


@pytest.fixture
def client_for(django_user_model):
    def make(enterprise, name="filer"):
        user = django_user_model.objects.create_user(name, password="x")
        EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
        client = Client()
        client.force_login(user)
        return client

    return make


def check_url(enterprise, year=YEAR):
    return reverse("portal:annual-report", kwargs={"uscc": enterprise.uscc, "year": year})


def step_url(enterprise, slug, year=YEAR):
    return reverse("portal:annual-report-step", kwargs={"uscc": enterprise.uscc, "year": year, "step": slug})


def fill_every_step(client, enterprise):
    for step in STEPS:
        if step.attachment:
            continue
        response = client.post(step_url(enterprise, step.slug), step_data(step))
        assert response.status_code == 302, (step.slug, response.content.decode()[:2000])


def test_a_new_report_starts_at_the_first_step(enterprise, client_for):
    response = client_for(enterprise).get(check_url(enterprise))
    assert response.status_code == 302 and response["Location"] == step_url(enterprise, STEPS[0].slug)


def test_each_step_shows_its_section_the_step_indicator_and_a_way_back(enterprise, client_for):
    client = client_for(enterprise)
    for number, step in enumerate(STEPS, start=1):
        page = client.get(step_url(enterprise, step.slug)).content.decode()
        assert f"Step {number} of {len(STEPS)}" in page
        assert f"<h1>{escape(step.title)}</h1>" in page
        assert ('class="back-link"' in page) == (number > 1)
        assert 'value="continue"' in page and 'value="save"' in page
    operation = client.get(step_url(enterprise, "operation")).content.decode()
    assert 'name="employees"' in operation and 'name="contact_phone"' not in operation


def test_continue_saves_a_draft_and_goes_to_the_next_step_keeping_earlier_steps(enterprise, client_for):
    client = client_for(enterprise)
    first, second = STEPS[0], STEPS[1]
    response = client.post(step_url(enterprise, first.slug), step_data(first))
    assert response["Location"] == step_url(enterprise, second.slug)
    filing = AnnualReportFiling.objects.get(enterprise=enterprise, year=YEAR)
    assert filing.status == "draft" and filing.data["contact_phone"] == "0551-12345678"
    client.post(step_url(enterprise, second.slug), step_data(second))
    filing.refresh_from_db()
    assert filing.data["contact_phone"] == "0551-12345678" and filing.data["employees"] == 30
    page = client.get(step_url(enterprise, first.slug)).content.decode()
    assert 'value="0551-12345678"' in page


def test_the_last_step_leads_to_check_your_answers(enterprise, client_for):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    response = client.post(step_url(enterprise, "attachment"), {"action": "continue"})
    assert response["Location"] == check_url(enterprise)


def test_a_step_refuses_a_bad_phone_with_a_summary_linking_the_field(enterprise, client_for):
    client = client_for(enterprise)
    response = client.post(
        step_url(enterprise, "contact"), step_data(STEPS[0], contact_phone="abc", postcode="")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary" role="alert"' in page and 'tabindex="-1"' in page
    assert 'href="#id_contact_phone"' in page and 'href="#id_postcode"' in page
    assert "like 010-12345678 or 0551-1234567" in page
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_contact_phone"', page)
    assert 'aria-describedby="id_contact_phone_helptext id_contact_phone_error"' in page
    # The hint comes before the error, and both before the input.
    assert page.index("id_contact_phone_helptext") < page.index('id="id_contact_phone_error"')
    assert page.index('id="id_contact_phone_error"') < page.index('id="id_contact_phone"')
    assert not AnnualReportFiling.objects.exists()


def test_amounts_take_thousands_separators_and_refuse_three_decimals(enterprise, client_for):
    client = client_for(enterprise)
    assets = next(step for step in STEPS if step.slug == "assets")
    bad = client.post(step_url(enterprise, "assets"), step_data(assets, tax_paid="12.345", revenue="1,23,4"))
    page = bad.content.decode()
    assert bad.status_code == 400
    assert "at most two decimal places" in page and "commas only between groups of three digits" in page
    assert (
        client.post(step_url(enterprise, "assets"), step_data(assets, revenue="5,000,000.50")).status_code
        == 302
    )
    assert AnnualReportFiling.objects.get().data["revenue"] == "5000000.50"


def test_save_for_later_keeps_an_incomplete_step(enterprise, client_for):
    client = client_for(enterprise)
    response = client.post(step_url(enterprise, "contact"), {"action": "save", "email": "office@example.com"})
    assert response["Location"] == reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})
    assert AnnualReportFiling.objects.get().data == {
        "email": "office@example.com",
        **{key: [] for key in FILING_LISTS},
    }


def test_a_half_filled_row_is_refused_next_to_the_field(enterprise, client_for):
    websites = next(step for step in STEPS if step.list_key == "websites")
    response = client_for(enterprise).post(
        step_url(enterprise, "websites"), step_data(websites, **{"websites-1-name": "某网站"})
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#id_websites-1-url"' in page


def test_save_and_add_rows_stays_on_the_step_with_the_rows_kept(enterprise, client_for):
    client = client_for(enterprise)
    websites = next(step for step in STEPS if step.list_key == "websites")
    response = client.post(step_url(enterprise, "websites"), step_data(websites, action="more"))
    assert response["Location"] == step_url(enterprise, "websites")
    page = client.get(step_url(enterprise, "websites")).content.decode()
    assert 'value="旗舰店"' in page and 'name="websites-2-name"' in page


def test_check_your_answers_lists_every_answer_with_change_links(enterprise, client_for):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    page = client.get(check_url(enterprise)).content.decode()
    assert "Check your answers before submitting the report" in page
    for step in STEPS:
        assert f"{step_url(enterprise, step.slug)}?return=check" in page
    assert f"{step_url(enterprise, 'contact')}?return=check#id_contact_phone" in page
    assert "0551-12345678" in page and "旗舰店" in page and "joint and several liability guarantee" in page
    assert "not published" in page and "Submit and publish" in page


def test_change_from_the_check_page_returns_to_it(enterprise, client_for):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    page = client.get(f"{step_url(enterprise, 'operation')}?return=check").content.decode()
    assert 'name="return" value="check"' in page
    response = client.post(
        step_url(enterprise, "operation"), step_data(STEPS[1], employees="31", **{"return": "check"})
    )
    assert response["Location"] == check_url(enterprise)


def test_submit_from_the_check_page_publishes_the_report(enterprise, client_for):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    response = client.post(check_url(enterprise), {"action": "submit"})
    assert response.status_code == 302
    filing = AnnualReportFiling.objects.get(enterprise=enterprise, year=YEAR)
    assert filing.is_submitted and filing.late
    assert filing.data["websites"] == [{"kind": "shop", "name": "旗舰店", "url": "https://shop.example.com"}]
    assert sorted(filing.unpublished_fields) == ["guarantees", "revenue"]
    report = AnnualReport.objects.get(enterprise=enterprise, year=YEAR)
    assert report.guarantees[0]["creditor"] == "某银行" and report.guarantees[0]["principal"] == "100000"
    assert (
        "The report was submitted late and is now public."
        in client.get(check_url(enterprise)).content.decode()
    )


def test_submitting_an_incomplete_report_links_each_error_to_its_step(enterprise, client_for):
    client = client_for(enterprise)
    client.post(step_url(enterprise, "contact"), step_data(STEPS[0]))
    response = client.post(check_url(enterprise), {"action": "submit"})
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert f'href="{step_url(enterprise, "operation")}?return=check#id_employees"' in page
    assert "Employees: This field is required." in page
    assert not AnnualReport.objects.exists()


def test_check_page_reads_in_a_bounded_number_of_queries(
    enterprise, client_for, django_assert_max_num_queries
):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    with django_assert_max_num_queries(12):
        assert client.get(check_url(enterprise)).status_code == 200


def test_public_profile_shows_new_parts_and_withheld_ones(enterprise, client_for):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    client.post(check_url(enterprise), {"action": "submit"})
    page = Client().get(reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc})).content.decode()
    assert "旗舰店 (https://shop.example.com)" in page
    assert "某银行" not in page  # guarantees withheld
    assert "Not published by the company" in page


def test_an_amendment_is_kept_between_steps_and_recorded_with_its_note(enterprise, client_for):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    client.post(check_url(enterprise), {"action": "submit"})
    steps = client.get(step_url(enterprise, "operation")).content.decode()
    assert 'value="save"' not in steps  # an amendment is not a draft
    assert client.get(step_url(enterprise, "attachment")).status_code == 404
    client.post(step_url(enterprise, "operation"), step_data(STEPS[1], employees="40", **{"return": "check"}))
    assert AnnualReport.objects.get().employees == 30  # not public until recorded
    page = client.get(check_url(enterprise)).content.decode()
    assert "You have changed the report" in page and ">40<" in page
    refused = client.post(check_url(enterprise), {"action": "amend", "note": ""})
    assert refused.status_code == 400 and 'href="#id_note"' in refused.content.decode()
    assert client.post(check_url(enterprise), {"action": "amend", "note": "headcount"}).status_code == 302
    assert AnnualReport.objects.get().employees == 40
    assert "headcount" in client.get(check_url(enterprise)).content.decode()


def test_pdf_attachment_is_stored_and_other_files_refused(enterprise, client_for):
    client = client_for(enterprise)
    png = SimpleUploadedFile("report.pdf", PNG, content_type="application/pdf")
    response = client.post(step_url(enterprise, "attachment"), {"action": "continue", "attachment_file": png})
    assert response.status_code == 400 and "must be a PDF" in response.content.decode()
    assert not Document.objects.exists()
    pdf = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(
            step_url(enterprise, "attachment"), {"action": "continue", "attachment_file": pdf}
        ).status_code
        == 302
    )
    assert AnnualReportFiling.objects.get().attachment.content_type == "application/pdf"


def test_unknown_step_and_year_are_404(enterprise, client_for):
    client = client_for(enterprise)
    assert client.get(step_url(enterprise, "nothing")).status_code == 404
    assert client.get(check_url(enterprise, year=1990)).status_code == 404


def test_other_enterprises_users_get_404(enterprise, client_for):
    other_client = client_for(EnterpriseFactory(), name="other")
    assert other_client.get(check_url(enterprise)).status_code == 404
    assert other_client.post(step_url(enterprise, "contact"), step_data(STEPS[0])).status_code == 404
    assert other_client.post(check_url(enterprise), {"action": "submit"}).status_code == 404
    assert (
        other_client.get(reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})).status_code
        == 404
    )
    assert not AnnualReportFiling.objects.exists()


def test_post_without_csrf_token_is_refused(enterprise, django_user_model):
    user = django_user_model.objects.create_user("filer", password="x")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(step_url(enterprise, "contact"), step_data(STEPS[0])).status_code == 403
    assert not AnnualReportFiling.objects.exists()


def test_list_shows_years_window_and_late_flag(enterprise, client_for):
    client = client_for(enterprise)
    fill_every_step(client, enterprise)
    client.post(check_url(enterprise), {"action": "submit"})
    page = client.get(reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})).content.decode()
    assert str(YEAR) in page and "late" in page and "Filing window" in page


def test_removal_button_and_application(enterprise, client_for):
    from django.core.management import call_command

    call_command("list_late_filers", "--year", str(YEAR), "--on", f"{YEAR + 1}-07-01")
    client = client_for(enterprise)
    list_url = reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})
    assert "Apply for removal" not in client.get(list_url).content.decode()
    fill_every_step(client, enterprise)
    client.post(check_url(enterprise), {"action": "submit"})
    assert "Apply for removal" in client.get(list_url).content.decode()
    listing = enterprise.abnormal_listings.get()
    url = reverse("portal:abnormal-removal-apply", kwargs={"uscc": enterprise.uscc, "pk": listing.pk})
    assert client.post(url).status_code == 302
    assert listing.removal_applications.get().status == "pending"
