"""Court lists name county and prefecture courts; the generated courts are found, not duplicated."""

import pytest

from blacklists.models import ListEntry
from registry.models import Agency
from tests.blacklists.test_import_list import defaulter, run, write_csv
from tests.factories import make_resident_id

pytestmark = pytest.mark.django_db


def test_a_generated_county_court_is_found_by_its_exact_name(tmp_path):
    courts = Agency.objects.filter(kind=Agency.Kind.COURT).count()
    row = defaulter(
        province="江苏", court="昆山市人民法院", case_number="(2024)苏0583执101号",
        id_number=make_resident_id(region="320583", birth="19700101"),
    )  # fmt: skip
    run("court-defaulters", write_csv(tmp_path / "ks.csv", [row]))
    entry = ListEntry.objects.get(decision_number="(2024)苏0583执101号")
    assert entry.issuing_agency.short_code == "court-320583"
    assert Agency.objects.filter(kind=Agency.Kind.COURT).count() == courts


def test_a_court_is_found_by_its_short_code(tmp_path):
    row = defaulter(
        province="浙江", court="court-330106", case_number="(2024)浙0106执7号",
        basis_unit="杭州市西湖区人民法院",
    )  # fmt: skip
    run("court-defaulters", write_csv(tmp_path / "xh.csv", [row]))
    entry = ListEntry.objects.get(decision_number="(2024)浙0106执7号")
    assert entry.issuing_agency.name_zh == "杭州市西湖区人民法院"


def test_an_intermediate_court_is_found_in_its_prefecture():
    from blacklists.services import court_get_or_create
    from registry.models import Region

    court = court_get_or_create(
        name="杭州市中级人民法院", province=Region.objects.get(code="330000"), actor=None, via="import"
    )
    assert court.short_code == "court-330100"
