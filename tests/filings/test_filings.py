import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from filings.models import AnnualReportFiling, AnnualReportFilingVersion
from filings.services import annual_report_amend, annual_report_draft_save, annual_report_submit
from registry.models import (
    AbnormalOperationListing,
    AnnualReport,
    AuditEntry,
    Document,
    SubjectEvent,
)
from tests.factories import AgencyFactory, EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2025, 8, 1, 9, 0, tzinfo=dt.UTC)


def full_data(**overrides):
    data = {
        "contact_phone": "0551-12345678",
        "email": "office@example.com",
        "postal_address": "安徽省合肥市蜀山区长江西路100号",
        "postcode": "230000",
        "operating_status": "operating",
        "employees": 30,
        "female_employees": 12,
        "total_assets": "3000000",
        "total_liabilities": "1000000",
        "owners_equity": "2000000",
        "revenue": "5000000",
        "main_business_revenue": "4500000",
        "profit": "400000",
        "net_profit": "300000",
        "tax_paid": "120000",
        **{f"insured_{s}": 30 for s in ("pension", "medical", "unemployment", "work_injury", "maternity")},
        **{f"paid_{s}": "10000" for s in ("pension", "medical", "unemployment", "work_injury", "maternity")},
        "websites": [{"kind": "website", "name": "官网", "url": "https://example.com"}],
        "guarantees": [
            {
                "creditor": "某银行",
                "debtor": "某公司",
                "principal": "100000",
                "period_from": "2024-01-01",
                "period_to": "2024-12-31",
                "kind": "joint",
            }
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def filer(django_user_model, enterprise):
    user = django_user_model.objects.create_user("filer", password="x")
    return member_of(enterprise, user.username)


@pytest.fixture
def enterprise():
    return EnterpriseFactory(registration_authority=AgencyFactory())


def submit(enterprise, filer, *, now=IN_WINDOW, data=None, unpublished=()):
    return annual_report_submit(
        enterprise=enterprise,
        year=2024,
        data=data or full_data(),
        unpublished_fields=list(unpublished),
        actor=filer,
        via="form",
        now=now,
    )


def test_one_filing_per_year_refused_by_model_and_database(enterprise):
    AnnualReportFiling.objects.create(enterprise=enterprise, year=2024)
    duplicate = AnnualReportFiling(enterprise=enterprise, year=2024)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    AnnualReportFiling(enterprise=enterprise, year=2023).full_clean()  # another year is fine


@pytest.mark.parametrize("year", [1999, 2101])
def test_year_range_refused_both_ways(enterprise, year):
    filing = AnnualReportFiling(enterprise=enterprise, year=year)
    with pytest.raises(ValidationError):
        filing.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        filing.save()


def test_submitted_without_submitter_refused_both_ways(enterprise):
    filing = AnnualReportFiling(enterprise=enterprise, year=2024, status="submitted", submitted_at=IN_WINDOW)
    with pytest.raises(ValidationError):
        filing.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        filing.save()


def test_unknown_withheld_field_refused_by_database(enterprise):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReportFiling.objects.create(enterprise=enterprise, year=2024, unpublished_fields=["name"])


def test_draft_accepts_partial_data_and_refuses_bad_values(enterprise, filer):
    draft = annual_report_draft_save(
        enterprise=enterprise,
        year=2024,
        data={"employees": 3},
        unpublished_fields=[],
        actor=filer,
        via="form",
    )
    assert draft.status == "draft" and draft.data["employees"] == 3
    with pytest.raises(ValidationError) as raised:
        annual_report_draft_save(
            enterprise=enterprise,
            year=2024,
            data={"email": "nope"},
            unpublished_fields=[],
            actor=filer,
            via="form",
        )
    assert "email" in raised.value.error_dict
    assert not AnnualReport.objects.exists()


def test_submit_validates_completely(enterprise, filer):
    with pytest.raises(ValidationError) as raised:
        submit(enterprise, filer, data={"employees": 3})
    assert "total_assets" in raised.value.error_dict
    with pytest.raises(ValidationError) as raised:
        submit(enterprise, filer, data=full_data(websites=[{"kind": "shop", "name": "店"}]))
    assert "websites-0-url" in raised.value.error_dict
    assert not AnnualReport.objects.exists()


def test_submit_publishes_at_once_with_withheld_fields_and_a_version(enterprise, filer):
    filing = submit(enterprise, filer, unpublished=["revenue", "guarantees"])
    report = AnnualReport.objects.get(enterprise=enterprise, year=2024)
    assert report.revenue == Decimal("5000000") and report.unpublished_fields == ["guarantees", "revenue"]
    assert report.websites[0]["url"] == "https://example.com"
    assert report.social_insurance_insured["pension"] == 30
    assert report.source_agency == enterprise.registration_authority
    assert filing.status == "submitted" and not filing.late
    version = filing.versions.get()
    assert version.number == 1 and version.kind == "submission" and version.created_by == filer


def test_submit_after_30_june_is_accepted_but_late_and_before_the_year_ends_is_refused(enterprise, filer):
    assert submit(enterprise, filer, now=LATE).late
    with pytest.raises(ValidationError):
        annual_report_submit(
            enterprise=enterprise,
            year=2025,
            data=full_data(),
            unpublished_fields=[],
            actor=filer,
            via="form",
            now=IN_WINDOW,
        )


def test_amend_writes_a_version_and_updates_the_public_report(enterprise, filer):
    filing = submit(enterprise, filer)
    with pytest.raises(ValidationError):
        annual_report_amend(
            filing=filing, data=full_data(), unpublished_fields=[], note=" ", actor=filer, via="form"
        )
    annual_report_amend(
        filing=filing,
        data=full_data(employees=31),
        unpublished_fields=["employees"],
        note="corrected headcount",
        actor=filer,
        via="form",
    )
    report = AnnualReport.objects.get(enterprise=enterprise, year=2024)
    assert report.employees == 31 and report.unpublished_fields == ["employees"]
    assert list(filing.versions.values_list("number", "kind", "note")) == [
        (1, "submission", ""),
        (2, "amendment", "corrected headcount"),
    ]
    with pytest.raises(ValidationError):  # a submitted report is not saved as a draft again
        annual_report_draft_save(
            enterprise=enterprise, year=2024, data=full_data(), unpublished_fields=[], actor=filer, via="form"
        )


def test_amendment_version_needs_a_note_in_the_database(enterprise, filer):
    filing = submit(enterprise, filer)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReportFilingVersion.objects.create(
            filing=filing, number=2, kind="amendment", note="", created_by=filer, created_at=IN_WINDOW
        )


def test_late_filer_command_refuses_early(enterprise):
    with pytest.raises(CommandError, match="closes on 2025-06-30"):
        call_command("list_late_filers", "--year", "2024", "--on", "2025-06-30")
    assert not AbnormalOperationListing.objects.exists()


def test_late_filer_command_lists_non_filers_once(enterprise, filer):
    filed = EnterpriseFactory(registration_authority=AgencyFactory())
    submit(filed, member_of(filed))
    young = EnterpriseFactory(registration_authority=AgencyFactory(), established=dt.date(2025, 2, 1))
    closed = EnterpriseFactory(registration_authority=AgencyFactory(), status="cancelled")
    call_command("list_late_filers", "--year", "2024", "--on", "2025-07-01")
    call_command("list_late_filers", "--year", "2024", "--on", "2025-07-02")
    listing = AbnormalOperationListing.objects.get()
    assert listing.enterprise == enterprise and listing.reason == "annual_report"
    assert listing.listing_agency == enterprise.registration_authority
    assert listing.listed_on == dt.date(2025, 7, 1)
    assert SubjectEvent.objects.filter(enterprise=enterprise, record_type="abnormal_listing").count() == 1
    assert not AbnormalOperationListing.objects.filter(enterprise__in=[filed, young, closed]).exists()


# --- the attachment is uploaded in the filing's transaction -----------------------------------------
PDF = b"%PDF-1.4 synthetic annual report\n%%EOF\n"


def stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "documents"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_refused_submission_keeps_neither_the_document_row_nor_its_file(enterprise, filer, settings):
    before = stored_files(settings)
    upload = SimpleUploadedFile("report.pdf", PDF + b"refused", content_type="application/pdf")
    with pytest.raises(ValidationError):
        annual_report_submit(
            enterprise=enterprise,
            year=2024,
            data=full_data(employees=None),  # incomplete: refused
            unpublished_fields=[],
            attachment_file=upload,
            actor=filer,
            via="form",
            now=IN_WINDOW,
        )
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="document").exists()
    assert stored_files(settings) == before


def test_an_attachment_that_is_no_pdf_is_refused_and_removed(enterprise, filer, settings):
    before = stored_files(settings)
    png = SimpleUploadedFile(
        "scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"IEND\xaeB`\x82", content_type="image/png"
    )
    with pytest.raises(ValidationError, match="must be a PDF") as refused:
        annual_report_draft_save(
            enterprise=enterprise,
            year=2024,
            data={},
            unpublished_fields=[],
            attachment_file=png,
            actor=filer,
            via="form",
        )
    assert "attachment" in refused.value.message_dict
    assert not Document.objects.exists() and not AnnualReportFiling.objects.exists()
    assert stored_files(settings) == before


def test_a_submission_stores_its_attachment_with_the_report(enterprise, filer, settings):
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    filing = annual_report_submit(
        enterprise=enterprise,
        year=2024,
        data=full_data(),
        unpublished_fields=[],
        attachment_file=upload,
        actor=filer,
        via="form",
        now=IN_WINDOW,
    )
    document = Document.objects.get()
    assert filing.attachment == document and filing.versions.get().attachment == document
    assert (document.kind, document.uploaded_by) == ("annual_report", filer)
    assert Path(document.file.path).read_bytes() == PDF
    # The same bytes uploaded again with a refused amendment: the first file stays, the second goes.
    files = stored_files(settings)
    with pytest.raises(ValidationError):
        annual_report_amend(
            filing=filing,
            data=full_data(employees=None),
            unpublished_fields=[],
            attachment_file=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
            note="corrected the employees",
            actor=filer,
            via="form",
            now=IN_WINDOW,
        )
    assert stored_files(settings) == files
    assert Path(document.file.path).read_bytes() == PDF
    assert Document.objects.count() == 1
