"""The public enterprise profile: every section, what is withheld, links, measures, and bounded queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from blacklists.models import ListType
from blacklists.services import list_entry_create
from portal.profile.build import SECTION_KEYS, enterprise_profile_public
from registry.models import Enterprise
from registry.services.audit import SYSTEM
from tests.factories import (
    AbnormalListingFactory,
    AgencyFactory,
    AnnualReportFactory,
    AwardFactory,
    BranchFactory,
    ChangeRecordFactory,
    ContributionRecordFactory,
    CreditCommitmentFactory,
    EnterpriseFactory,
    InspectionFactory,
    KeyPersonnelFactory,
    LicenceFactory,
    PenaltyFactory,
    PersonFactory,
    ShareholderFactory,
    TaxRecordFactory,
    UtilityArrearFactory,
    make_resident_id,
    make_uscc,
    with_wrong_check_char,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def page(client, url, status=200, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status
    return response.content.decode()


def profile_url(enterprise):
    return f"/enterprises/{enterprise.uscc}/"


def section_html(content, key):
    """The HTML of one section of the page."""
    match = re.search(rf'<section id="{key}"[^>]*>(.*?)</section>', content, re.S)
    assert match, key
    return match.group(1)


def listed(list_code, number, *, start=None, **fields):
    list_type = ListType.objects.get(code=list_code)
    start = start or TODAY - dt.timedelta(days=10)
    if list_type.max_period_days:
        fields.setdefault("planned_end", start + dt.timedelta(days=list_type.min_period_days or 365))
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        **fields,
    )


EMPTY_TEXTS = {
    "shareholders": "No shareholders have been published.",
    "key_personnel": "No key personnel have been published.",
    "branches": "No branches have been published.",
    "change_records": "No changes have been published.",
    "annual_reports": "No annual reports have been published.",
    "licences": "No administrative licences have been published.",
    "penalties": "No administrative penalties have been published.",
    "abnormal_listings": "The enterprise has never been listed for abnormal operations.",
    "serious_illegal": "The enterprise is not on the list of serious illegal and dishonest enterprises.",
    "inspections": "No spot-check or inspection results have been published.",
    "list_entries": "The enterprise is on no other blacklist or redlist.",
    "measures": "No joint rewards or punishments are in force.",
    "commitments": "No credit commitments have been published.",
    "awards": "No awards or honours have been published.",
}


def test_every_section_is_present_in_order_with_its_empty_text(client):
    company = EnterpriseFactory(name="合肥空白测试有限公司")
    profile = enterprise_profile_public(uscc=company.uscc)
    assert [section.key for section in profile.sections] == list(SECTION_KEYS)
    assert profile.badges == []
    content = page(client, profile_url(company))
    positions = [content.index(f'<section id="{key}"') for key in SECTION_KEYS]
    assert positions == sorted(positions)
    for key in SECTION_KEYS:
        assert f'href="#{key}"' in content  # the table of contents
        assert f'aria-labelledby="{key}-heading"' in content and f'<h2 id="{key}-heading">' in content
    for key, text in EMPTY_TEXTS.items():
        assert profile.section(key).empty_text == text
        assert f'<p class="empty">{text}</p>' in section_html(content, key)
    assert 'class="toc"' in content and "合肥空白测试有限公司" in content


def test_business_licence_shows_every_licence_field(client):
    authority = AgencyFactory(name_en="Hefei Administration for Market Regulation")
    company = EnterpriseFactory(
        name="合肥执照测试有限公司",
        registration_number="340100000123456",
        registered_capital=Decimal("12345678.90"),
        established=dt.date(2015, 6, 1),
        operating_from=dt.date(2015, 6, 1),
        approved_on=dt.date(2023, 3, 9),
        registration_authority=authority,
        legal_representative="王强",
        former_names=["合肥旧名有限公司"],
    )
    content = section_html(page(client, profile_url(company)), "licence")
    for text in (
        company.uscc,
        "340100000123456",
        "limited liability company",
        "王强",
        "CNY 12.35 million",
        "1 Jun 2015",
        "indefinite",
        "Approval date",
        "9 Mar 2023",
        "Hefei Administration for Market Regulation",
        "in operation",
        "安徽省合肥市蜀山区长江西路100号",
        "Hefei",
        "information transmission, software and IT services",
        "软件开发；信息技术咨询服务",
        "合肥旧名有限公司",
    ):
        assert text in content, text
    assert '<dl class="fields">' in content and 'class="section-source"' in content


def test_legacy_code_is_noted_and_found(client):
    code = with_wrong_check_char(make_uscc())
    company = EnterpriseFactory(uscc=code, uscc_legacy=True)
    content = page(client, profile_url(company))
    assert "Legacy code" in section_html(content, "licence")


def test_each_section_shows_its_records_with_source(client):
    agency = AgencyFactory(name_en="Shushan Market Regulation Bureau")
    company = EnterpriseFactory()
    investor = EnterpriseFactory(name="合肥投资测试有限公司")
    ShareholderFactory(
        enterprise=company,
        kind="enterprise",
        name=investor.name,
        shareholder_enterprise=investor,
        subscribed_capital=Decimal("600000"),
        paid_in_capital=Decimal("250000"),
        subscribed_date=dt.date(2030, 12, 31),
        subscribed_method="货币",
        source_agency=agency,
    )
    BranchFactory(enterprise=company, name="合肥测试分公司甲", source_agency=agency)
    ChangeRecordFactory(enterprise=company, item="经营范围", before="旧范围", after="新范围")
    LicenceFactory(enterprise=company, licence_number="JY13401000001")
    PenaltyFactory(enterprise=company, decision_number="合市监罚〔2024〕77号", source_agency=agency)
    AbnormalListingFactory(
        enterprise=company,
        listed_on=dt.date(2023, 7, 1),
        removed_on=dt.date(2023, 9, 1),
        removal_reason="report_filed",
        removal_agency=agency,
        source_agency=agency,
    )
    InspectionFactory(enterprise=company, detail="抽查未发现问题")
    AwardFactory(enterprise=company, title="守合同重信用企业")
    content = page(client, profile_url(company))
    shareholders = section_html(content, "shareholders")
    assert f'href="/enterprises/{investor.uscc}/"' in shareholders and "合肥投资测试有限公司" in shareholders
    assert "CNY 600,000.00" in shareholders and "CNY 250,000.00" in shareholders
    assert "31 Dec 2030" in shareholders and "货币" in shareholders
    assert "Source: Shushan Market Regulation Bureau" in shareholders
    assert "合肥测试分公司甲" in section_html(content, "branches")
    changes = section_html(content, "change_records")
    assert "经营范围" in changes and "旧范围" in changes and "新范围" in changes and "10 May 2022" in changes
    assert "JY13401000001" in section_html(content, "licences")
    penalties = section_html(content, "penalties")
    assert "合市监罚〔2024〕77号" in penalties and "CNY 50,000.00" in penalties
    abnormal = section_html(content, "abnormal_listings")
    assert "annual report not filed on time" in abnormal and "annual report filed late" in abnormal
    assert "1 Sep 2023" in abnormal
    assert "抽查未发现问题" in section_html(content, "inspections")
    assert "守合同重信用企业" in section_html(content, "awards")
    assert '<th scope="col">' in content and '<div class="table-wrap"' in content
    assert 'class="badge badge-abnormal"' not in content  # the listing was removed


def test_current_abnormal_listing_is_a_badge(client):
    company = EnterpriseFactory()
    AbnormalListingFactory(enterprise=company)
    profile = enterprise_profile_public(uscc=company.uscc)
    assert [badge.kind for badge in profile.badges] == ["abnormal"]
    assert 'class="badge badge-abnormal"' in page(client, profile_url(company))


def test_withheld_annual_report_fields_are_marked_and_their_values_absent(client):
    company = EnterpriseFactory()
    AnnualReportFactory(
        enterprise=company,
        year=2024,
        revenue=Decimal("7654321"),
        contact_phone="0551-99887766",
        total_assets=Decimal("3000000"),
        unpublished_fields=["revenue", "contact_phone"],
    )
    AnnualReportFactory(enterprise=company, year=2023, revenue=Decimal("1234567"))
    profile = enterprise_profile_public(uscc=company.uscc)
    section = profile.section("annual_reports")
    assert [label for _key, label in section.columns] == ["Item", "2024", "2023"]
    revenue = next(row for row in section.rows if row["item"].text == "Total revenue")
    assert revenue["y2024"].withheld and revenue["y2024"].text == "Not published by the company"
    assert not revenue["y2023"].withheld and revenue["y2023"].text == "CNY 1,234,567.00"
    content = section_html(page(client, profile_url(company)), "annual_reports")
    assert '<span class="withheld">Not published by the company</span>' in content
    assert "7654321" not in content and "7,654,321" not in content and "0551-99887766" not in content
    assert "CNY 3,000,000.00" in content and "CNY 1,234,567.00" in content


def test_natural_person_id_numbers_never_reach_the_page(client):
    number = make_resident_id("340104", "19750312")
    person = PersonFactory(name="赵敏", id_number=number)
    company = EnterpriseFactory()
    ShareholderFactory(enterprise=company, kind="person", name="赵敏", person=person)
    KeyPersonnelFactory(enterprise=company, name="赵敏", person=person)
    content = page(client, profile_url(company))
    assert "赵敏" in content and "Not public" in section_html(content, "shareholders")
    assert person.id_masked not in content and number not in content
    assert number[:10] not in content and person.id_hash not in content


def test_key_personnel_link_to_the_other_enterprises_of_the_same_person(client):
    person = PersonFactory(name="钱强")
    company = EnterpriseFactory()
    other = EnterpriseFactory(name="芜湖另一测试有限公司")
    former = EnterpriseFactory(name="已离任测试有限公司")
    KeyPersonnelFactory(enterprise=company, name="钱强", person=person, role="chairman")
    KeyPersonnelFactory(enterprise=other, name="钱强", person=person, role="supervisor")
    KeyPersonnelFactory(
        enterprise=former,
        name="钱强",
        person=person,
        appointed_on=dt.date(2010, 1, 1),
        left_on=dt.date(2012, 1, 1),
    )
    KeyPersonnelFactory(enterprise=company, name="孙丽", role="supervisor")  # no person record
    content = section_html(page(client, profile_url(company)), "key_personnel")
    assert f'<a href="/enterprises/{other.uscc}/">芜湖另一测试有限公司</a>' in content
    assert "chairman of the board" in content and "孙丽" in content
    assert "已离任测试有限公司" not in content
    assert f"/enterprises/{company.uscc}/" not in content  # not a link to itself


def test_blacklist_entry_shows_measures_with_reasons_and_links_to_the_entry(client):
    company = EnterpriseFactory(name="南京测试进出口有限公司")
    entry = listed("gac-dishonest", "署信〔2024〕11号", enterprise=company)
    profile = enterprise_profile_public(uscc=company.uscc)
    assert [(badge.kind, badge.url) for badge in profile.badges] == [
        ("blacklist", f"/defaulters/{entry.pk}/")
    ]
    assert profile.section("measures").rows and profile.measures
    content = page(client, profile_url(company))
    entries = section_html(content, "list_entries")
    assert f'href="/defaulters/{entry.pk}/"' in entries and "署信〔2024〕11号" in entries
    assert "Customs dishonest enterprises" in entries and "General Administration of Customs" in entries
    measures = section_html(content, "measures")
    assert "Banned or restricted from government procurement" in measures
    assert (
        "The subject is listed on Customs dishonest enterprises by General Administration of Customs"
        in measures
    )
    assert "发改财金〔2017〕427号" in measures
    assert 'class="badge badge-blacklist"' in content
    assert '<p class="empty">' in section_html(content, "serious_illegal")


def test_redlist_entry_is_a_redlist_badge(client):
    company = EnterpriseFactory()
    listed("gac-advanced-certified", "署认〔2024〕3号", enterprise=company)
    content = page(client, profile_url(company))
    assert 'class="badge badge-redlist"' in content
    assert "署认〔2024〕3号" in section_html(content, "list_entries")


def test_serious_illegal_listing_has_its_own_section(client):
    company = EnterpriseFactory()
    entry = listed("samr-serious-illegal", "国市监信〔2024〕5号", enterprise=company)
    content = page(client, profile_url(company))
    serious = section_html(content, "serious_illegal")
    assert "国市监信〔2024〕5号" in serious and f'href="/defaulters/{entry.pk}/"' in serious
    assert "国市监信〔2024〕5号" not in section_html(content, "list_entries")


def test_expired_entries_are_not_shown_as_in_force(client):
    company = EnterpriseFactory()
    # The planned end (a year after the start) has passed; the expiry job has not run yet.
    listed(
        "samr-serious-illegal",
        "国市监信〔2020〕9号",
        enterprise=company,
        start=TODAY - dt.timedelta(days=800),
    )
    profile = enterprise_profile_public(uscc=company.uscc)
    assert profile.badges == [] and profile.section("serious_illegal").is_empty
    content = page(client, profile_url(company))
    assert "国市监信〔2020〕9号" not in content and "badge-blacklist" not in content
    earlier = enterprise_profile_public(uscc=company.uscc, on=TODAY - dt.timedelta(days=700))
    assert not earlier.section("serious_illegal").is_empty


def test_penalty_is_hidden_once_its_publication_ends(client):
    company = EnterpriseFactory()
    PenaltyFactory(
        enterprise=company,
        decision_number="合市监罚〔2021〕1号",
        decided_on=dt.date(2021, 1, 1),
        publication_ends_on=TODAY - dt.timedelta(days=1),
    )
    PenaltyFactory(
        enterprise=company,
        decision_number="合市监罚〔2024〕2号",
        publication_ends_on=TODAY + dt.timedelta(days=30),
    )
    content = section_html(page(client, profile_url(company)), "penalties")
    assert "合市监罚〔2024〕2号" in content and "合市监罚〔2021〕1号" not in content


def test_data_that_is_not_public_is_left_out(client):
    company = EnterpriseFactory()
    TaxRecordFactory(enterprise=company, tax_type="特别测试税种")
    ContributionRecordFactory(enterprise=company, amount_due=Decimal("98765.43"))
    UtilityArrearFactory(enterprise=company, supplier="测试供电公司")
    content = page(client, profile_url(company))
    assert "特别测试税种" not in content and "98,765.43" not in content and "测试供电公司" not in content


def test_commitments_are_shown_with_their_breach(client):
    company = EnterpriseFactory()
    breaker = AgencyFactory(name_en="Hefei Housing Bureau")
    CreditCommitmentFactory(enterprise=company, title="容缺受理承诺书", kind="acceptance_with_deficiencies")
    CreditCommitmentFactory(
        enterprise=company,
        title="告知承诺书",
        kind="approval_substitution",
        signed_on=dt.date(2023, 3, 1),
        broken_on=dt.date(2024, 1, 15),
        broken_by=breaker,
        broken_note="承诺内容与实际不符",
    )
    content = section_html(page(client, profile_url(company)), "commitments")
    assert "容缺受理承诺书" in content and "acceptance with deficiencies" in content
    assert "Found broken on 15 Jan 2024 by Hefei Housing Bureau" in content
    assert "承诺内容与实际不符" in content and "No breach recorded" in content


def test_chinese_page_uses_chinese_agency_and_list_names(client):
    company = EnterpriseFactory()
    listed("gac-dishonest", "署信〔2024〕12号", enterprise=company)
    content = page(client, profile_url(company), language="zh-hans")
    assert "海关失信企业名单" in content and "海关总署" in content


def test_malformed_code_gets_a_404_that_explains_the_format(client):
    for bad in ("12345", "91340100MA2TESTO1X"):
        content = page(client, f"/enterprises/{bad}/", status=404)
        assert "exactly 18 characters" in content and "I, O, S, V and Z" in content
        assert "check character" in content and 'href="/search/"' in content
    wrong_check = with_wrong_check_char(make_uscc())
    content = page(client, f"/enterprises/{wrong_check}/", status=404)
    assert "exactly 18 characters" in content


def test_unknown_code_gets_a_404_saying_so(client):
    code = EnterpriseFactory.build().uscc
    content = page(client, f"/enterprises/{code}/", status=404)
    assert "No enterprise has this code" in content and code in content and 'href="/search/"' in content
    assert "exactly 18 characters" not in content
    assert enterprise_profile_public(uscc=code) is None


def test_lower_case_code_redirects_to_the_canonical_address(client):
    company = EnterpriseFactory(uscc="91340100MA2RTW0X0Y")
    response = client.get(f"/enterprises/{company.uscc.lower()}/")
    assert response.status_code == 301 and response["Location"] == profile_url(company)


def _fill(company, n, person):
    agency = AgencyFactory()
    for i in range(n):
        ShareholderFactory(enterprise=company, source_agency=agency)
        KeyPersonnelFactory(enterprise=company, person=PersonFactory(), source_agency=agency)
        BranchFactory(enterprise=company, uscc=make_uscc(), source_agency=agency)
        ChangeRecordFactory(enterprise=company, source_agency=agency)
        AnnualReportFactory(enterprise=company, year=2010 + i, source_agency=agency)
        LicenceFactory(enterprise=company, source_agency=agency)
        PenaltyFactory(enterprise=company, source_agency=agency)
        InspectionFactory(enterprise=company, source_agency=agency)
        AwardFactory(enterprise=company, source_agency=agency)
        CreditCommitmentFactory(enterprise=company, source_agency=agency)
        AbnormalListingFactory(
            enterprise=company,
            listed_on=dt.date(2020, 1, 1),
            removed_on=dt.date(2020, 2, 1),
            removal_reason="report_filed",
            removal_agency=agency,
            source_agency=agency,
        )
        KeyPersonnelFactory(enterprise=EnterpriseFactory(), person=person, source_agency=agency)
    KeyPersonnelFactory(enterprise=company, person=person, source_agency=agency)
    listed("gac-dishonest", f"署信〔2024〕{n}号", enterprise=company)
    listed("samr-serious-illegal", f"国市监信〔2024〕{n}号", enterprise=company)


def test_the_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    small, large = EnterpriseFactory(), EnterpriseFactory()
    _fill(small, 1, PersonFactory())
    _fill(large, 12, PersonFactory())
    assert len(enterprise_profile_public(uscc=large.uscc).section("shareholders").rows) == 12
    for company in (small, large):
        with django_assert_max_num_queries(21):  # agency grades; the grade and alert notice
            page(client, profile_url(company))
    assert Enterprise.objects.count() > 14
