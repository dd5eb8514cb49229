"""The GB/T 2260 divisions to county level and the agencies generated from them."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.divisions import (
    AGENCIES_CSV,
    GENERATED_AGENCIES_CSV,
    REGIONS_CSV,
    agency_rows,
    division_rows,
    english_name,
    read_agencies_csv,
    read_regions_csv,
    stdnum_source,
    write_data_files,
)
from registry.models import Agency, AuditEntry, Enterprise, Region
from registry.services.reference import agency_confirm, agency_update
from tests.factories import AgencyFactory, EnterpriseFactory, make_uscc
from tests.registry.helpers import assert_refused_both_ways
from tests.registry.test_import import row, run_import, write_csv

pytestmark = pytest.mark.django_db


def stdnum_text() -> str:
    return stdnum_source()[0].read_text(encoding="utf-8")


# --- the shipped table -----------------------------------------------------------------------------
def test_county_level_divisions_ship_with_their_prefecture_and_province():
    for code, name, parent in (
        ("330106", "西湖区", "330100"),
        ("110105", "朝阳区", "110100"),
        ("440305", "南山区", "440300"),
        ("320583", "昆山市", "320500"),
    ):
        region = Region.objects.select_related("parent__parent").get(code=code)
        assert (region.name_zh, region.level, region.parent_id) == (name, "county", parent)
        assert region.at_level("province").code == code[:2] + "0000"
        assert not region.retired
    current = Region.objects.filter(level="county", valid_until_year__isnull=True)
    assert 2800 < current.count() < 3300


def test_retired_codes_ship_marked_with_their_last_year():
    chongwen = Region.objects.get(code="110103")  # merged into 东城区 in 2010
    assert (chongwen.name_zh, chongwen.valid_until_year, chongwen.retired) == ("崇文区", 2010, True)
    assert Region.objects.filter(valid_until_year__isnull=False).count() > 3000
    assert Region.objects.get(code="330106").valid_from_year == 1983


def test_the_data_file_names_its_source_and_matches_the_installed_table(tmp_path):
    header = REGIONS_CSV.read_text(encoding="utf-8").splitlines()[:3]
    assert any("python-stdnum 2.2" in line for line in header)
    curated = read_regions_csv()
    divisions = division_rows(stdnum_text(), curated=curated)
    agencies = agency_rows(divisions, taken_names={row.name_zh for row in read_agencies_csv(AGENCIES_CSV)})
    write_data_files(
        divisions,
        agencies,
        source=stdnum_source()[1],
        regions_path=tmp_path / "regions.csv",
        agencies_path=tmp_path / "agencies.csv",
    )
    # The committed files are exactly what the update command writes from the pinned version.
    assert (tmp_path / "regions.csv").read_text(encoding="utf-8") == REGIONS_CSV.read_text(encoding="utf-8")
    assert (tmp_path / "agencies.csv").read_text(encoding="utf-8") == GENERATED_AGENCIES_CSV.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("西湖区", "Xihu District"),
        ("昆山市", "Kunshan City"),
        ("朝阳区", "Chaoyang District"),
        ("突泉县", "Tuquan County"),
        ("青龙满族自治县", "Qinglong Manchu Autonomous County"),
        ("秀山土家族苗族自治县", "Xiushan Tujia Miao Autonomous County"),
        ("鄂伦春自治旗", "Elunchun Autonomous Banner"),
        ("阿里地区", "Ali Prefecture"),
        ("市辖区", "Municipal districts"),
    ],
)
def test_english_names_come_from_the_pinyin_and_the_kind_of_division(name, english):
    assert english_name(name) == english


def test_curated_english_names_of_prefectures_are_kept():
    assert Region.objects.get(code="330100").name_en == "Hangzhou"


# --- generated agencies ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("short_code", "name", "level"),
    [
        ("amr-330106", "杭州市西湖区市场监督管理局", "county"),
        ("court-330106", "杭州市西湖区人民法院", "county"),
        ("amr-320583", "昆山市市场监督管理局", "county"),
        ("court-320583", "昆山市人民法院", "county"),
        ("amr-110105", "北京市朝阳区市场监督管理局", "county"),
        ("court-110105", "北京市朝阳区人民法院", "county"),
        ("amr-152224", "突泉县市场监督管理局", "county"),
        ("amr-330100", "杭州市市场监督管理局", "prefecture"),
        ("court-330100", "杭州市中级人民法院", "prefecture"),
    ],
)
def test_every_division_has_its_generated_bureau_and_court(short_code, name, level):
    agency = Agency.objects.get(short_code=short_code)
    assert (agency.name_zh, agency.level, agency.region_id) == (name, level, short_code.split("-")[1])
    assert agency.generated and agency.awaiting_confirmation


def test_no_agency_is_generated_for_grouping_entries_or_retired_codes():
    assert not Agency.objects.filter(name_zh__contains="市辖区").exists()
    assert not Agency.objects.filter(name_zh__contains="直辖").exists()
    assert not Agency.objects.filter(short_code__in=["amr-110100", "amr-110103", "court-110103"]).exists()
    names = list(Agency.objects.values_list("name_zh", flat=True))
    assert len(names) == len(set(names))
    # The curated provincial bodies are untouched and not marked generated.
    assert not Agency.objects.get(short_code="amr-330000").generated


# --- constraints -----------------------------------------------------------------------------------
def test_division_years_are_in_order():
    region = Region(
        code="330198", name_zh="新设区", name_en="X", level="county", parent_id="330100",
        valid_from_year=2020, valid_until_year=2010,
    )  # fmt: skip
    assert_refused_both_ways(region, message="the first not after the last")


def test_only_a_generated_agency_is_confirmed():
    agency = AgencyFactory.build(generated=False, confirmed_at=timezone.now())
    assert_refused_both_ways(agency, message="Only a generated agency is confirmed.")


def test_a_confirmation_has_a_date():
    user = get_user_model().objects.create_user("clerk-c", password="pw-123456789")
    agency = AgencyFactory.build(generated=True, confirmed_by=user)
    assert_refused_both_ways(agency, message="A confirmation has a date.")


# --- confirming and correcting ---------------------------------------------------------------------
def test_a_clerk_confirms_a_generated_agency_with_an_audit_entry():
    clerk = get_user_model().objects.create_user("clerk-d", password="pw-123456789")
    agency = Agency.objects.get(short_code="amr-330106")
    agency_confirm(agency=agency, actor=clerk, via="admin")
    agency.refresh_from_db()
    assert agency.confirmed_by == clerk and agency.confirmed_at is not None
    entry = AuditEntry.objects.get(object_pk=str(agency.pk), action="update")
    assert set(entry.changes) == {"confirmed_at", "confirmed_by_id"}
    with pytest.raises(Exception, match="already confirmed"):
        agency_confirm(agency=agency, actor=clerk, via="admin")
    with pytest.raises(Exception, match="Only a generated agency"):
        agency_confirm(agency=Agency.objects.get(short_code="samr"), actor=clerk, via="admin")


def test_correcting_a_generated_agency_confirms_it():
    agency = Agency.objects.get(short_code="court-320583")
    agency_update(agency=agency, actor=None, via="admin", name_en="Kunshan Municipal People's Court")
    agency.refresh_from_db()
    assert agency.name_en == "Kunshan Municipal People's Court"
    assert agency.confirmed_at is not None and not agency.awaiting_confirmation


def test_admin_action_confirms_the_selected_agencies(admin_client):
    agency = Agency.objects.get(short_code="amr-440305")
    response = admin_client.post(
        reverse("admin:registry_agency_changelist"),
        {"action": "confirm", "_selected_action": [agency.pk]},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.confirmed_at is not None
    assert AuditEntry.objects.filter(object_pk=str(agency.pk), via="admin").exists()
    listing = admin_client.get(reverse("admin:registry_agency_changelist"), {"confirmation": "awaiting"})
    assert listing.status_code == 200


def test_an_admin_edit_of_a_generated_agency_confirms_it(admin_client):
    agency = Agency.objects.get(short_code="court-330106")
    response = admin_client.post(
        reverse("admin:registry_agency_change", args=[agency.pk]),
        {
            "name_zh": "杭州市西湖区人民法院",
            "name_en": "West Lake District People's Court, Hangzhou",
            "short_code": agency.short_code,
            "level": "county",
            "kind": "court",
            "region": "330106",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name_en == "West Lake District People's Court, Hangzhou"
    assert agency.confirmed_at is not None


# --- update_divisions ------------------------------------------------------------------------------
def _edited(text: str) -> str:
    text = text.replace(
        '  0106 county="[1983-]西湖区"',
        '  0106 county="[1983-2025]西湖区,[2026-]之江区"\n  0197 county="[2026-]新设区"',
    )
    text = text.replace(
        '[1983-1989]南头区办事处,[1990-]南山区"', '[1983-1989]南头区办事处,[1990-2025]南山区"'
    )
    assert "之江区" in text and "[1990-2025]南山区" in text
    return text


def _update(path) -> str:
    out = StringIO()
    call_command("update_divisions", "--file", str(path), stdout=out)
    return out.getvalue()


def test_update_adds_renames_and_retires_divisions_and_keeps_confirmed_agencies(tmp_path):
    clerk = get_user_model().objects.create_user("clerk-e", password="pw-123456789")
    court = Agency.objects.get(short_code="court-330106")
    agency_confirm(agency=court, actor=clerk, via="admin")
    path = tmp_path / "loc.dat"
    path.write_text(_edited(stdnum_text()), encoding="utf-8")

    output = _update(path)

    assert "Divisions added: 1: 330197" in output
    assert "newly retired: 1: 440305" in output
    renamed = Region.objects.get(code="330106")
    assert (renamed.name_zh, renamed.name_en) == ("之江区", "Zhijiang District")
    assert Region.objects.get(code="440305").valid_until_year == 2025
    added = Region.objects.get(code="330197")
    assert (added.parent_id, added.level, added.valid_from_year) == ("330100", "county", 2026)
    # The unconfirmed bureau follows the new name; the court a clerk confirmed does not.
    assert Agency.objects.get(short_code="amr-330106").name_zh == "杭州市之江区市场监督管理局"
    assert Agency.objects.get(short_code="court-330106").name_zh == "杭州市西湖区人民法院"
    assert Agency.objects.get(short_code="amr-330197").generated
    assert AuditEntry.objects.filter(via="command", object_pk="330106", action="update").exists()
    # Run again: nothing left to do.
    assert "Nothing to change." in _update(path)


def test_update_from_the_pinned_table_changes_nothing():
    out = StringIO()
    call_command("update_divisions", stdout=out)
    assert "Nothing to change." in out.getvalue()


def test_update_is_all_or_nothing(tmp_path):
    text = _edited(stdnum_text()).replace(
        '  0197 county="[2026-]新设区"', '  0197 county="[2026-]新设区"\n  0198 county="[2030-2020]错误区"'
    )
    path = tmp_path / "loc.dat"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="first not after the last"):
        _update(path)
    assert Region.objects.get(code="330106").name_zh == "西湖区"
    assert not Region.objects.filter(code__in=["330197", "330198"]).exists()


def test_update_refuses_a_file_that_is_not_the_code_list(tmp_path):
    path = tmp_path / "loc.dat"
    path.write_text('11 province="北京市"\n  0101 county="东城区"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="not the GB/T 2260 table"):
        _update(path)


# --- real county-level files import ----------------------------------------------------------------
def test_an_enterprise_file_with_county_codes_and_local_authorities_imports(tmp_path):
    rows = [
        row(uscc=make_uscc("330106"), name="杭州华信科技有限公司", region_code="330106",
            registration_authority="杭州市西湖区市场监督管理局"),
        row(uscc=make_uscc("110105"), name="北京华信科技有限公司", region_code="110105",
            registration_authority="amr-110105"),
        row(uscc=make_uscc("440305"), name="深圳华信科技有限公司", region_code="440305",
            registration_authority="深圳市南山区市场监督管理局"),
        row(uscc=make_uscc("110103"), name="北京崇文老字号有限公司", region_code="110103"),
    ]  # fmt: skip
    output = run_import(write_csv(tmp_path / "county.csv", rows))
    assert "4 created" in output
    hangzhou = Enterprise.objects.get(uscc=rows[0]["uscc"])
    assert hangzhou.region_id == "330106"
    assert hangzhou.registration_authority.short_code == "amr-330106"
    assert (
        Enterprise.objects.get(uscc=rows[1]["uscc"]).registration_authority.name_zh
        == "北京市朝阳区市场监督管理局"
    )
    assert Enterprise.objects.get(uscc=rows[3]["uscc"]).region.retired


# --- the API rolls a county up ---------------------------------------------------------------------
def test_api_region_shows_prefecture_and_province_and_filters_roll_up(client):
    EnterpriseFactory(name="杭州华信科技有限公司", uscc=make_uscc("330106"), region_id="330106")
    EnterpriseFactory(name="宁波华信科技有限公司", uscc=make_uscc("330203"), region_id="330203")
    EnterpriseFactory(name="合肥华信科技有限公司", region_id="340100")

    def codes(**params):
        response = client.get("/api/v1/enterprises/", params)
        assert response.status_code == 200
        return sorted(item["region"]["code"] for item in response.json()["results"])

    assert codes(region="330000") == ["330106", "330203"]
    assert codes(region="330100") == ["330106"]
    assert codes(region="330106") == ["330106"]
    item = client.get("/api/v1/enterprises/", {"region": "330106"}).json()["results"][0]
    assert item["region"]["level"] == "county"
    assert item["region"]["prefecture"] == {"code": "330100", "name_zh": "杭州市", "name_en": "Hangzhou"}
    assert item["region"]["province"]["code"] == "330000"
    assert item["region"]["valid_until_year"] is None


def test_api_region_roll_up_costs_no_query_per_row(client):
    EnterpriseFactory(region_id="330106")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/enterprises/")
    for code in ("110105", "440305", "320583"):
        EnterpriseFactory(uscc=make_uscc(code), region_id=code)
    with CaptureQueriesContext(connection) as four:
        client.get("/api/v1/enterprises/")
    assert len(four) == len(one)


def test_the_enterprise_detail_shows_the_county_chain(client):
    company = EnterpriseFactory(uscc=make_uscc("320583"), region_id="320583", established=dt.date(2015, 6, 1))
    region = client.get(f"/api/v1/enterprises/{company.uscc}/").json()["region"]
    assert (region["code"], region["prefecture"]["code"], region["province"]["code"]) == (
        "320583",
        "320500",
        "320000",
    )
