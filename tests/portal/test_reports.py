"""The PDF credit report: rendering, issuing, verifying a copy, and the rules the database keeps."""

import datetime as dt
import hashlib
import io
import re

import pypdf
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal import services
from portal.models import REPORT_NUMBER_PATTERN, CreditReport
from portal.profile.types import Cell, Field, Profile, Section
from portal.report.pdf import ReportMeta, format_made_at, render_profile_pdf
from portal.services import ReportSubjectNotFound, credit_report_create
from registry.models import AuditEntry
from tests.factories import (
    AbnormalListingFactory,
    AgencyFactory,
    AwardFactory,
    BranchFactory,
    ChangeRecordFactory,
    CreditCommitmentFactory,
    CreditReportFactory,
    EnterpriseFactory,
    InspectionFactory,
    KeyPersonnelFactory,
    LicenceFactory,
    PenaltyFactory,
    ShareholderFactory,
    make_uscc,
    report_number,
    with_wrong_check_char,
)

NUMBER = "CR-20261126-7KQ3-M9XD"
MADE_AT = dt.datetime(2026, 11, 26, 20, 15, 3, tzinfo=dt.UTC)  # 04:15:03 on the 27th in Shanghai
VERIFY_URL = f"https://credit.example.org/reports/{NUMBER}/"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sample_profile(*, penalty_rows: int = 60) -> Profile:
    penalties = [
        {
            "decision": Cell(f"合市监罚〔2024〕{i}号"),
            "content": Cell("未按规定公示年度报告，责令改正并处罚款人民币一万元整。" * (1 + i % 3)),
            "agency": Cell("合肥市市场监督管理局"),
            "date": Cell(f"2024-03-{i % 28 + 1:02d}", note="已修复" if i % 7 == 0 else ""),
        }
        for i in range(penalty_rows)
    ]
    return Profile(
        uscc="91340100MA2RTW0X0Y",
        name="合肥示例数据科技有限公司",
        status="存续（在营、开业、在册）",
        on=dt.date(2026, 11, 26),
        badges=[Cell("经营异常名录", kind="abnormal")],
        sections=[
            Section(
                key="licence",
                title="营业执照信息",
                kind="fields",
                source="合肥市市场监督管理局",
                as_of=dt.date(2026, 1, 5),
                fields=[
                    Field("企业名称", Cell("合肥示例数据科技有限公司")),
                    Field("联系电话", Cell("未公示", withheld=True)),
                    Field("经营范围", Cell("软件开发；信息技术咨询服务；" * 60)),
                ],
            ),
            Section(
                key="shareholders",
                title="股东及出资信息",
                columns=[("name", "股东名称"), ("amount", "认缴出资额")],
                empty_text="暂无股东及出资信息",
            ),
            Section(
                key="penalties",
                title="行政处罚信息",
                columns=[
                    ("decision", "决定书文号"),
                    ("content", "处罚内容"),
                    ("agency", "决定机关"),
                    ("date", "日期"),
                ],
                rows=penalties,
            ),
            Section(key="awards", title="Awards <b>&", columns=[("a", "A & B")], rows=[{"a": Cell("x < y")}]),
        ],
    )


def render(profile: Profile | None = None, language: str = "zh-hans") -> bytes:
    meta = ReportMeta(number=NUMBER, created_at=MADE_AT, verify_url=VERIFY_URL, language=language)
    return render_profile_pdf(profile or sample_profile(), meta)


def pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def squeeze(text: str) -> str:
    """Extracted text without the line breaks the layout put in."""
    return re.sub(r"\s+", "", text)


# --- rendering ------------------------------------------------------------------------------------
def test_pdf_is_valid_and_holds_the_record_in_chinese():
    pdf = render()
    assert pdf.startswith(b"%PDF-")
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    text = squeeze("".join(pages))
    for expected in (
        "合肥示例数据科技有限公司",
        "91340100MA2RTW0X0Y",
        NUMBER,
        "营业执照信息",
        "股东及出资信息",
    ):
        assert expected in text
    assert "行政处罚信息" in text
    assert "暂无股东及出资信息" in text  # an empty section says so
    assert "合市监罚〔2024〕59号" in text  # the last row of a long table
    assert "Awards<b>&" in text  # markup characters in data are text, not markup


def test_pdf_embeds_the_cjk_font_as_truetype():
    reader = pypdf.PdfReader(io.BytesIO(render()))
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.append(str(font["/BaseFont"]))
    assert embedded
    assert all("WenQuanYiMicroHei" in name for name in embedded)


def test_pdf_uses_no_unembedded_standard_font():
    reader = pypdf.PdfReader(io.BytesIO(render()))
    names = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert names and all("WenQuanYiMicroHei" in name for name in names), names


def test_pdf_shows_time_made_in_shanghai_with_zone_and_the_as_of_date():
    first = pdf_pages(render())[0]
    assert "2026年11月27日 04:15:03 Asia/Shanghai (UTC+08:00)" in first
    assert "2026年11月26日" in first
    english = pdf_pages(render(language="en"))[0]
    assert "27 Nov 2026, 04:15:03 Asia/Shanghai (UTC+08:00)" in english
    assert "26 Nov 2026" in english
    with translation.override("en"):
        assert format_made_at(MADE_AT) == "27 Nov 2026, 04:15:03 Asia/Shanghai (UTC+08:00)"


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        render_profile_pdf(
            sample_profile(),
            ReportMeta(
                number=NUMBER, created_at=dt.datetime(2026, 11, 26), verify_url=VERIFY_URL, language="en"
            ),
        )


def test_every_page_is_numbered_and_says_how_to_verify():
    pages = pdf_pages(render(language="en"))
    total = len(pages)
    for index, page in enumerate(pages, start=1):
        assert f"Page {index} of {total}" in page
        assert VERIFY_URL in squeeze(page)


def test_table_header_repeats_on_every_page_the_table_spans():
    pages = pdf_pages(render())
    spanned = [page for page in pages if "合市监罚〔2024〕" in page]
    assert len(spanned) >= 2
    assert all("决定书文号" in page for page in spanned)


def test_withheld_values_are_marked():
    text = squeeze("".join(pdf_pages(render())))
    assert "[未公示]" in text


def test_report_is_in_the_requested_language():
    english = pdf_pages(render(language="en"))[0]
    assert "Enterprise credit report" in english
    with translation.override("zh-hans"):
        title = gettext("Enterprise credit report")
    assert title in pdf_pages(render(language="zh-hans"))[0]


# --- issuing --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_service_stores_hash_and_size_of_the_bytes_and_audits():
    enterprise = EnterpriseFactory(name="合肥报告测试科技有限公司")
    PenaltyFactory(enterprise=enterprise)
    report, pdf = credit_report_create(
        uscc=enterprise.uscc, language="zh-hans", base_url="https://credit.example.org/"
    )
    report.refresh_from_db()
    assert report.sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.size_bytes == len(pdf)
    assert re.fullmatch(REPORT_NUMBER_PATTERN, report.number)
    assert report.number.startswith(f"CR-{timezone.localdate():%Y%m%d}-")
    assert (report.enterprise, report.uscc, report.name) == (enterprise, enterprise.uscc, enterprise.name)
    text = squeeze("".join(pdf_pages(pdf)))
    assert enterprise.name in text
    assert report.number in text
    assert f"https://credit.example.org/reports/{report.number}/" in text
    from portal.profile.build import enterprise_profile_public

    with translation.override("zh-hans"):
        profile = enterprise_profile_public(uscc=enterprise.uscc)
    for section in profile.sections:
        assert squeeze(section.title) in text
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(CreditReport), object_pk=str(report.pk)
    )
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["sha256"] == [None, report.sha256]


@pytest.mark.django_db
def test_service_draws_a_new_number_when_one_is_taken(monkeypatch):
    enterprise = EnterpriseFactory()
    taken = CreditReportFactory(number=report_number(1))
    numbers = iter([taken.number, report_number(2)])
    monkeypatch.setattr(services, "credit_report_number_new", lambda *, on: next(numbers))
    report, pdf = credit_report_create(uscc=enterprise.uscc, language="en", base_url="http://testserver/")
    assert report.number == report_number(2)
    assert report_number(2) in squeeze("".join(pdf_pages(pdf)))


@pytest.mark.django_db
def test_service_refuses_unknown_enterprise_and_language():
    with pytest.raises(ReportSubjectNotFound):
        credit_report_create(uscc=make_uscc(serial=99999901), language="en", base_url="http://testserver/")
    with pytest.raises(ValidationError):
        credit_report_create(uscc=EnterpriseFactory().uscc, language="fr", base_url="http://testserver/")
    assert not CreditReport.objects.exists()


@pytest.mark.django_db
def test_download_returns_the_pdf_as_an_attachment(client):
    enterprise = EnterpriseFactory()
    response = client.post(f"/enterprises/{enterprise.uscc}/report/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    report = CreditReport.objects.get()
    assert response["Content-Disposition"] == (
        f'attachment; filename="credit-report-{enterprise.uscc}-{report.number}.pdf"'
    )
    assert report.sha256 == hashlib.sha256(response.content).hexdigest()
    assert report.language == "en"
    assert f"http://testserver/reports/{report.number}/" in squeeze("".join(pdf_pages(response.content)))
    assert AuditEntry.objects.filter(object_pk=str(report.pk), via=AuditEntry.Via.FORM).exists()


@pytest.mark.django_db
def test_download_in_chinese_when_chinese_is_active(client):
    enterprise = EnterpriseFactory()
    client.post(f"/enterprises/{enterprise.uscc}/report/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert CreditReport.objects.get().language == "zh-hans"


@pytest.mark.django_db
def test_get_never_creates_a_report(client):
    enterprise = EnterpriseFactory()
    assert client.get(f"/enterprises/{enterprise.uscc}/report/").status_code == 405
    assert not CreditReport.objects.exists()


@pytest.mark.django_db
def test_download_requires_csrf_token():
    enterprise = EnterpriseFactory()
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/enterprises/{enterprise.uscc}/report/").status_code == 403
    assert not CreditReport.objects.exists()


@pytest.mark.django_db
def test_download_of_malformed_or_unknown_code_is_404(client):
    assert client.post("/enterprises/NOT-A-CODE/report/").status_code == 404
    assert client.post(f"/enterprises/{with_wrong_check_char(make_uscc())}/report/").status_code == 404
    assert client.post(f"/enterprises/{make_uscc(serial=99999902)}/report/").status_code == 404
    assert not CreditReport.objects.exists()


@pytest.mark.django_db
@override_settings(PUBLIC_SEARCH_PER_MINUTE=1)
def test_download_is_rate_limited(client, frozen_clock):
    enterprise = EnterpriseFactory()
    assert client.post(f"/enterprises/{enterprise.uscc}/report/").status_code == 200
    assert client.post(f"/enterprises/{enterprise.uscc}/report/").status_code == 429
    assert CreditReport.objects.count() == 1


@pytest.mark.django_db
def test_profile_page_offers_the_download_as_a_post_form(client):
    enterprise = EnterpriseFactory()
    content = client.get(f"/enterprises/{enterprise.uscc}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = re.search(
        rf'<form[^>]*action="/enterprises/{enterprise.uscc}/report/"[^>]*>(.*?)</form>', content, re.S
    )
    assert form is not None
    assert 'method="post"' in form.group(0)
    assert "csrfmiddlewaretoken" in form.group(1)
    assert re.search(r"<button[^>]*>\s*Download credit report\s*</button>", form.group(1))


# --- verifying ------------------------------------------------------------------------------------
def upload(client, number, content: bytes, name="report.pdf"):
    return client.post(
        f"/reports/{number}/",
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.django_db
def test_verify_page_shows_the_issued_report(client, django_assert_max_num_queries):
    report = CreditReportFactory(created_at=MADE_AT)
    with django_assert_max_num_queries(2):
        response = client.get(f"/reports/{report.number}/", HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert report.number in content
    assert f'href="/enterprises/{report.uscc}/"' in content
    assert report.name in content
    assert report.sha256 in content
    assert "27 Nov 2026, 04:15:03 Asia/Shanghai" in content
    assert re.search(r'<form[^>]*method="post"[^>]*enctype="multipart/form-data"', content)
    assert "csrfmiddlewaretoken" in content


@pytest.mark.django_db
def test_verify_confirms_the_exact_bytes_and_rejects_one_changed_byte(client):
    enterprise = EnterpriseFactory()
    pdf = client.post(f"/enterprises/{enterprise.uscc}/report/").content
    number = CreditReport.objects.get().number

    genuine = upload(client, number, pdf).content.decode()
    assert "Verified: this file is exactly the issued report" in genuine
    assert "Not verified" not in genuine

    tampered = bytearray(pdf)
    tampered[len(tampered) // 2] ^= 0x01
    response = upload(client, number, bytes(tampered))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not verified: this file is not the issued report" in content
    assert hashlib.sha256(bytes(tampered)).hexdigest() in content
    assert "Verified: this file" not in content


@pytest.mark.django_db
def test_verify_refuses_a_file_over_the_size_limit(client, monkeypatch):
    report = CreditReportFactory()
    monkeypatch.setattr("portal.report.forms.MAX_UPLOAD_BYTES", 10)
    response = upload(client, report.number, b"%PDF-" + b"x" * 100)
    assert response.status_code == 400
    assert "larger than 20 MB" in response.content.decode()


@pytest.mark.django_db
def test_verify_refuses_an_oversized_request_before_reading_it(client):
    report = CreditReportFactory()
    response = upload(client, report.number, b"x" * (21 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 20 MB" in response.content.decode()


@pytest.mark.django_db
def test_verify_upload_requires_csrf_token():
    report = CreditReportFactory()
    client = Client(enforce_csrf_checks=True)
    assert upload(client, report.number, b"%PDF-").status_code == 403


@pytest.mark.django_db
def test_unknown_or_malformed_number_is_404(client):
    CreditReportFactory(number=report_number(5))
    unknown = client.get(f"/reports/{report_number(6)}/", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 404
    assert "has not issued a credit report numbered" in unknown.content.decode()
    malformed = client.get("/reports/CR-2026-XYZ/", HTTP_ACCEPT_LANGUAGE="en")
    assert malformed.status_code == 404
    assert "is not a credit report number" in malformed.content.decode()
    assert upload(client, report_number(6), b"%PDF-").status_code == 404


# --- the rules the database keeps -----------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sha256", "A" * 64),  # upper case
        ("sha256", "a" * 63),
        ("sha256", "g" * 64),
        ("number", "CR-20261126-7KQ3-M9X"),
        ("number", "CR-20261126-7KQ3-M9XO"),  # O is not in the alphabet
        ("number", "cr-20261126-7kq3-m9xd"),
    ],
)
def test_constraints_refuse_bad_values(field, value):
    report = CreditReportFactory()
    setattr(report, field, value)
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert field in error.value.message_dict or "__all__" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditReport.objects.filter(pk=report.pk).update(**{field: value})


@pytest.mark.django_db
def test_constraints_refuse_empty_report_and_unknown_language():
    report = CreditReportFactory()
    for field, value in (("size_bytes", 0), ("language", "fr")):
        with pytest.raises(IntegrityError), transaction.atomic():
            CreditReport.objects.filter(pk=report.pk).update(**{field: value})


@pytest.mark.django_db
def test_report_numbers_are_unique():
    first = CreditReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditReportFactory(number=first.number, content=b"other")


@pytest.mark.django_db
def test_admin_lists_reports_read_only(admin_client):
    report = CreditReportFactory()
    assert admin_client.get("/admin/portal/creditreport/").status_code == 200
    assert admin_client.get(f"/admin/portal/creditreport/{report.pk}/change/").status_code == 200
    assert admin_client.get("/admin/portal/creditreport/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/portal/creditreport/{report.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert CreditReport.objects.filter(pk=report.pk).exists()


@pytest.mark.django_db
def test_english_table_headers_never_break_inside_a_word():
    company = EnterpriseFactory()
    agency = AgencyFactory()
    for factory_class in (
        ShareholderFactory,
        KeyPersonnelFactory,
        BranchFactory,
        ChangeRecordFactory,
        LicenceFactory,
        PenaltyFactory,
        InspectionFactory,
        AbnormalListingFactory,
        AwardFactory,
        CreditCommitmentFactory,
    ):
        factory_class(enterprise=company, source_agency=agency)
    from portal.profile.build import enterprise_profile_public

    with translation.override("en"):
        profile = enterprise_profile_public(uscc=company.uscc)
    text = "\n".join(pdf_pages(render(profile, language="en")))
    words = {
        word.strip("().,;:")
        for section in profile.sections
        if not section.is_empty
        for _key, label in section.columns
        for word in str(label).split()
    }
    assert "Registration" in words or "Confiscated" in words
    broken = sorted(word for word in words if len(word) > 3 and word not in text)
    assert broken == []
