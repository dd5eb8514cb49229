"""The reads behind the list pages: the tags entry documents carry, filters by division on
imported court lists, and the latest publications across lists."""

import datetime as dt

import pytest
from django.utils import timezone

from blacklists.models import ListType
from blacklists.search import division_chain, entry_document_values
from blacklists.selectors import ABNORMAL_SLUG, latest_publications, list_entry_search
from blacklists.services import list_entry_create
from registry.services.audit import SYSTEM
from tests.blacklists.test_import_list import defaulter, run, write_csv
from tests.factories import AbnormalListingFactory, EnterpriseFactory, make_resident_id

pytestmark = pytest.mark.django_db


def test_division_chain_runs_from_the_province_down():
    assert division_chain("340104") == ["340000", "340100", "340104"]
    assert division_chain("340100") == ["340000", "340100"]
    assert division_chain("340000") == ["340000"]
    assert division_chain("") == division_chain(None) == division_chain("34010") == []


def test_an_entry_document_carries_its_severity_and_divisions():
    row = entry_document_values(
        entry_id=1,
        list_code="gac-dishonest",
        subject_name="合肥测试有限公司",
        case_number="合关信〔2026〕1号",
        court_id=7,
        court_name="合肥海关",
        province="340000",
        published_on=dt.date(2026, 1, 5),
        uscc="91340100MA2N0XXX0X",
        severity="general",
        areas=["340104", "320583"],
    )
    for tag in ("SEVERITYGENERAL", "AREA340000", "AREA340100", "AREA340104", "AREA320000", "AREA320583"):
        assert tag in row.identifiers, tag


def test_an_imported_court_entry_is_found_by_its_courts_county(tmp_path):
    row = defaulter(
        name="周昆山",
        province="江苏",
        court="昆山市人民法院",
        case_number="(2024)苏0583执102号",
        id_number=make_resident_id(region="320583", birth="19700101"),
        publish_date=(timezone.localdate() - dt.timedelta(days=30)).isoformat(),
    )
    run("court-defaulters", write_csv(tmp_path / "ks.csv", [row]))

    def found(**filters):
        return [
            entry.subject_name for entry in list_entry_search(list_code="court-defaulters", **filters).entries
        ]

    for region in ("320583", "320500", "320000"):
        assert found(region=region) == ["周昆山"], region
        assert found(region=region, q="周昆山") == ["周昆山"], region
    assert found(region="340000") == []
    assert found(severity="serious") == ["周昆山"]
    assert found(severity="general") == []


def test_latest_publications_merge_lists_and_the_directory_in_four_queries(django_assert_num_queries):
    today = timezone.localdate()
    list_type = ListType.objects.get(code="gac-dishonest")
    for days in (1, 4):
        start = today - dt.timedelta(days=days)
        list_entry_create(
            actor=SYSTEM,
            via="form",
            list_type=list_type,
            enterprise=EnterpriseFactory(name=f"最新测试{days}有限公司"),
            issuing_agency=list_type.owner,
            decision_number=f"海关失信〔2026〕{days}号",
            decision_date=start,
            starts_on=start,
            published_on=start,
        )
    AbnormalListingFactory(
        enterprise=EnterpriseFactory(name="异常测试有限公司"), listed_on=today - dt.timedelta(days=2)
    )
    with django_assert_num_queries(4):
        latest = latest_publications(limit=3)
    assert [item.subject_name for item in latest] == [
        "最新测试1有限公司",
        "异常测试有限公司",
        "最新测试4有限公司",
    ]
    assert latest[1].slug == ABNORMAL_SLUG and latest[0].slug == "gac-dishonest"
    assert latest[0].list_name_en == list_type.name_en
