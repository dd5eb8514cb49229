"""English pages speak English and every page writes dates one way per language.

A subject with a rich record (every section filled, listed on a blacklist, a redlist, the
serious-illegal list and the court lists, with measures in force) is shown on the main public
pages and in the PDF credit report. In English, no Chinese character may appear except in what has
no English form: the names, addresses, document numbers and the record's own text as the agencies
published it, which the test removes by value before looking.
"""

import datetime as dt
import html
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.core.cache import cache
from django.utils import timezone

from blacklists.models import ListType, Memorandum
from blacklists.services import list_entry_create
from registry.services.audit import SYSTEM
from registry.services.search import enterprise_search_document_refresh
from tests.factories import (
    AbnormalListingFactory,
    AgencyFactory,
    AnnualReportFactory,
    AwardFactory,
    BranchFactory,
    ChangeRecordFactory,
    CreditCommitmentFactory,
    EnterpriseFactory,
    InspectionFactory,
    KeyPersonnelFactory,
    LicenceFactory,
    PenaltyFactory,
    PersonFactory,
    ShareholderFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ENGLISH_DATE = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
CHINESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


# Pages whose templates are reworked elsewhere and still write a date as Y-m-d (the search page's
# date of establishment); remove a page from here once its template uses DATE_FORMAT.
@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def listed(list_code, number, **subject):
    list_type = ListType.objects.get(code=list_code)
    start = TODAY - dt.timedelta(days=20)
    if list_type.max_period_days or list_type.min_period_days:
        subject.setdefault("planned_end", start + dt.timedelta(days=list_type.min_period_days or 365))
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


class Subject:
    """The rich subject, the pages that show it, and the strings that have no English form."""

    def __init__(self):
        agency = AgencyFactory()
        self.company = EnterpriseFactory(
            name="安徽语言测试进出口有限公司",
            address="安徽省合肥市蜀山区黄山路1号",
            legal_representative="王五",
            business_scope="货物进出口；技术进出口",
            registered_capital=Decimal("12345678.00"),
        )
        company = self.company
        boss = PersonFactory(name="王五")
        ShareholderFactory(enterprise=company, name="合肥语言测试投资有限公司", source_agency=agency)
        KeyPersonnelFactory(enterprise=company, person=boss, name="王五", source_agency=agency)
        BranchFactory(enterprise=company, name="安徽语言测试进出口有限公司芜湖分公司", source_agency=agency)
        ChangeRecordFactory(enterprise=company, source_agency=agency)
        AnnualReportFactory(enterprise=company, source_agency=agency, postal_address="合肥市黄山路1号")
        LicenceFactory(enterprise=company, source_agency=agency)
        penalty = PenaltyFactory(
            enterprise=company, source_agency=agency, decided_on=TODAY - dt.timedelta(days=30)
        )
        InspectionFactory(enterprise=company, source_agency=agency)
        AbnormalListingFactory(
            enterprise=company, source_agency=agency, decision_number="合市监异〔2024〕8号"
        )
        AwardFactory(enterprise=company, source_agency=agency)
        CreditCommitmentFactory(enterprise=company, source_agency=agency, signer_name="王五")
        self.entries = [
            listed("gac-dishonest", "署信〔2024〕41号", enterprise=company),
            listed("gac-advanced-certified", "署认〔2024〕42号", enterprise=company),
            listed("samr-serious-illegal", "国市监信〔2024〕43号", enterprise=company),
        ]
        self.defaulter = PersonFactory(name="赵语言")
        self.defaulter_entry = listed("court-defaulters", "(2024)皖0104执44号", person=self.defaulter)
        self.memorandum = Memorandum.objects.get(document_number="发改财金〔2017〕427号")
        enterprise_search_document_refresh(enterprise=company)
        self.own_text = [
            company.name,
            company.address,
            company.business_scope,
            "王五",
            "赵语言",
            "合肥语言测试投资有限公司",
            "安徽语言测试进出口有限公司芜湖分公司",
            "合肥市黄山路1号",
            # The record's own text, as the agencies published it.
            "注册资本",
            "100万元",
            "200万元",
            "食品经营许可证",
            "预包装食品销售",
            "虚假宣传",
            "罚款人民币五万元",
            "守合同重信用企业",
            "信用承诺书",
            "本企业承诺所提交材料真实有效，守法诚信经营。",
            # Document numbers.
            *(entry.decision_number for entry in [*self.entries, self.defaulter_entry]),
            penalty.decision_number,
            "合市监异〔2024〕8号",
            *Memorandum.objects.values_list("document_number", flat=True),
            # The titles of the laws behind the lists, cited as enacted (no official English title).
            *ListType.objects.exclude(legal_basis="").values_list("legal_basis", flat=True),
        ]


@pytest.fixture
def subject():
    return Subject()


def visible_text(content: str) -> str:
    """What a reader sees, less what is Chinese on purpose: no tags, scripts, styles or attributes,
    no element marked ``lang="zh…"`` (the language menu's 简体中文, a memorandum's Chinese title) and
    not the site's mark (a logo); entities decoded."""
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = re.sub(r'<(?!html\b)(\w+)\b[^>]*\blang="zh[^"]*"[^>]*>.*?</\1>', " ", content, flags=re.S)
    content = re.sub(r'<span class="brand-mark"[^>]*>.*?</span>', " ", content, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", content))


def without(text: str, strings: list[str]) -> str:
    for value in sorted(strings, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def pages(client, subject: Subject, language: str) -> dict[str, str]:
    company = subject.company
    urls = {
        "home": "/",
        "enterprise search": f"/search/?q={company.name}",
        "profile": f"/enterprises/{company.uscc}/",
        "measures": f"/enterprises/{company.uscc}/measures/",
        "defaulter search": "/defaulters/?q=赵语言",
        "defaulter entry": f"/defaulters/{subject.defaulter_entry.pk}/",
        "list entry": f"/defaulters/{subject.entries[0].pk}/",
        "memorandum": f"/memoranda/{subject.memorandum.pk}/",
        "how it works": "/rewards-and-punishments/",
    }
    shown = {}
    for name, url in urls.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (name, response.status_code)
        shown[name] = visible_text(response.content.decode())
    response = client.post(f"/enterprises/{company.uscc}/report/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    shown["PDF report"] = "\n".join(page.extract_text() for page in reader.pages)
    return shown


def squeeze(text: str) -> str:
    """Text without white space: the PDF's lines break names and numbers anywhere."""
    return re.sub(r"\s+", "", text)


def leaks(name: str, text: str, subject: Subject) -> list[str]:
    own = subject.own_text
    if name == "PDF report":
        text, own = squeeze(text), [squeeze(value) for value in own]
    rest = without(text, own)
    return [rest[max(0, m.start() - 40) : m.end() + 20].replace("\n", " ") for m in CJK.finditer(rest)]


def test_english_pages_and_report_show_no_chinese_but_names(client, subject):
    shown = pages(client, subject, "en")
    found = {name: leaks(name, text, subject) for name, text in shown.items()}
    assert {name: texts for name, texts in found.items() if texts} == {}
    # Money in English: the currency's code, never 元.
    assert "CNY 12.35 million" in shown["profile"] and "CNY 50,000.00" in shown["profile"]
    assert "CNY12.35million" in squeeze(shown["PDF report"])


def test_the_leak_check_finds_a_chinese_label_but_not_the_subjects_own_names(subject):
    text = f"Court: 最高人民法院; {subject.company.name} ({subject.entries[0].decision_number})"
    (found,) = leaks("profile", text, subject)
    assert "最高人民法院" in found and subject.company.name not in found


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_and_the_report_write_dates_one_way(client, subject, language):
    today_english = f"{TODAY.day} {TODAY:%b} {TODAY.year}"
    today_chinese = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
    for name, text in pages(client, subject, language).items():
        if name == "PDF report":
            text = squeeze(text)
            today_english = squeeze(today_english)
        iso = ISO_DATE.findall(text)
        assert iso == [], (name, iso)
        if language == "en":
            assert not CHINESE_DATE.search(text), name
        else:
            assert not re.search(
                r"\d{1,2} ?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ?\d{4}", text
            ), name
        if name in {"profile", "measures", "PDF report"}:
            assert (today_english if language == "en" else today_chinese) in text, name
