import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import EnterpriseMembership
from filings.forms import FILING_LISTS
from filings.models import AnnualReportFiling
from registry.models import AnnualReport, Document
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.filings.test_filings import full_data

pytestmark = pytest.mark.django_db
YEAR = 2025  # the filing window for 2025 has closed by the time these tests run: submissions are late
PDF = b"%PDF-1.4 synthetic annual report\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def post_data(action="submit", **overrides):
    data = {name: value for name, value in full_data().items() if name not in FILING_LISTS}
    data.update({"action": action, "withhold_revenue": "on", "withhold_guarantees": "on"})
    for key in FILING_LISTS:
        data[f"{key}-TOTAL_FORMS"] = "2"
        data[f"{key}-INITIAL_FORMS"] = "0"
    data.update(
        {
            "websites-0-kind": "shop",
            "websites-0-name": "旗舰店",
            "websites-0-url": "https://shop.example.com",
            "guarantees-0-creditor": "某银行",
            "guarantees-0-debtor": "某公司",
            "guarantees-0-principal": "100000",
            "guarantees-0-period_from": "2025-01-01",
            "guarantees-0-period_to": "2025-12-31",
            "guarantees-0-kind": "joint",
        }
    )
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


def edit_url(enterprise, year=YEAR):
    return reverse("portal:annual-report", kwargs={"uscc": enterprise.uscc, "year": year})


def test_list_shows_years_window_and_late_flag(enterprise, client_for):
    client = client_for(enterprise)
    client.post(edit_url(enterprise), post_data())
    page = client.get(reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})).content.decode()
    assert str(YEAR) in page and "late" in page and "Filing window" in page


def test_submit_round_trip_with_formset_rows_and_withheld_checkboxes(enterprise, client_for):
    client = client_for(enterprise)
    response = client.post(edit_url(enterprise), post_data())
    assert response.status_code == 302
    filing = AnnualReportFiling.objects.get(enterprise=enterprise, year=YEAR)
    assert filing.late and filing.data["websites"] == [
        {"kind": "shop", "name": "旗舰店", "url": "https://shop.example.com"}
    ]
    assert sorted(filing.unpublished_fields) == ["guarantees", "revenue"]
    report = AnnualReport.objects.get(enterprise=enterprise, year=YEAR)
    assert report.guarantees[0]["creditor"] == "某银行"
    page = client.get(edit_url(enterprise)).content.decode()
    assert 'value="旗舰店"' in page
    assert 'name="withhold_revenue" id="id_withhold_revenue" checked' in page
    assert "Amend the report" in page


def test_public_profile_shows_new_parts_and_withheld_ones(enterprise, client_for):
    client_for(enterprise).post(edit_url(enterprise), post_data())
    page = Client().get(reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc})).content.decode()
    assert "旗舰店 (https://shop.example.com)" in page
    assert "某银行" not in page  # guarantees withheld
    assert "Not published by the company" in page


def test_half_filled_row_is_refused_next_to_the_field(enterprise, client_for):
    response = client_for(enterprise).post(
        edit_url(enterprise), post_data(**{"investments-0-name": "某公司"})
    )
    assert response.status_code == 400
    assert "error-box" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_draft_saves_partial_and_amend_needs_a_note(enterprise, client_for):
    client = client_for(enterprise)
    response = client.post(edit_url(enterprise), post_data(action="save", total_assets=""))
    assert response.status_code == 302 and AnnualReportFiling.objects.get().status == "draft"
    client.post(edit_url(enterprise), post_data())
    assert client.post(edit_url(enterprise), post_data(action="amend", employees="40")).status_code == 400
    response = client.post(edit_url(enterprise), post_data(action="amend", employees="40", note="headcount"))
    assert response.status_code == 302
    assert AnnualReport.objects.get().employees == 40
    assert "headcount" in client.get(edit_url(enterprise)).content.decode()


def test_pdf_attachment_is_stored_and_other_files_refused(enterprise, client_for):
    client = client_for(enterprise)
    png = SimpleUploadedFile("report.pdf", PNG, content_type="application/pdf")
    response = client.post(edit_url(enterprise), post_data(action="save", attachment_file=png))
    assert response.status_code == 400 and "must be a PDF" in response.content.decode()
    assert not Document.objects.exists()
    pdf = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    assert client.post(edit_url(enterprise), post_data(action="save", attachment_file=pdf)).status_code == 302
    assert AnnualReportFiling.objects.get().attachment.content_type == "application/pdf"


def test_other_enterprises_users_get_404(enterprise, client_for):
    other_client = client_for(EnterpriseFactory(), name="other")
    assert other_client.get(edit_url(enterprise)).status_code == 404
    assert other_client.post(edit_url(enterprise), post_data()).status_code == 404
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
    assert client.post(edit_url(enterprise), post_data()).status_code == 403
    assert not AnnualReportFiling.objects.exists()


def test_removal_button_and_application(enterprise, client_for):
    from django.core.management import call_command

    call_command("list_late_filers", "--year", str(YEAR), "--on", f"{YEAR + 1}-07-01")
    client = client_for(enterprise)
    list_url = reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})
    assert "Apply for removal" not in client.get(list_url).content.decode()
    client.post(edit_url(enterprise), post_data())
    assert "Apply for removal" in client.get(list_url).content.decode()
    listing = enterprise.abnormal_listings.get()
    url = reverse("portal:abnormal-removal-apply", kwargs={"uscc": enterprise.uscc, "pk": listing.pk})
    assert client.post(url).status_code == 302
    assert listing.removal_applications.get().status == "pending"
