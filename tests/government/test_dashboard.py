"""The government-defaulters dashboard's rows and figures against figures worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from government.selectors import (
    DashboardFilters,
    RowPosition,
    body_dishonesty_records,
    dashboard_figures,
    government_defaulter_rows,
)
from government.services.dashboard import dashboard_figures_compute
from tests.factories import DishonestyRecordFactory, EnterpriseFactory, GovernmentBodyFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 1)


@pytest.fixture
def records():
    """Three bodies in two provinces; four defaulter-kind records and one other record.

    days: A1 listed 2025-01-10 cleared 2025-03-01 = 50; A2 arrears listed 2025-06-01 open = 518 on
    2026-11-01; B1 listed 2026-01-01 cleared 2026-04-11 = 100; C1 listed 2026-02-01 cleared 2026-02-21 = 20.
    """
    a = GovernmentBodyFactory(name="甲县人民政府", region_id="340100", level="county")
    b = GovernmentBodyFactory(name="乙县人民政府", region_id="340100", level="county")
    c = GovernmentBodyFactory(
        name="丙市财政局", region_id="360100", level="prefecture", entity_type="public_institution"
    )
    made = {
        "A1": DishonestyRecordFactory(
            subject=a,
            listed_on=dt.date(2025, 1, 10),
            cleared_on=dt.date(2025, 3, 1),
            cleared_how="performed",
            amount=Decimal("100000.00"),
        ),
        "A2": DishonestyRecordFactory(
            subject=a,
            kind="arrears",
            case_number="",
            listed_on=dt.date(2025, 6, 1),
            amount=Decimal("2000000.00"),
            creditor=EnterpriseFactory(),
            due_on=dt.date(2024, 12, 31),
            overdue_since=dt.date(2025, 1, 1),
        ),
        "B1": DishonestyRecordFactory(
            subject=b,
            listed_on=dt.date(2026, 1, 1),
            cleared_on=dt.date(2026, 4, 11),
            cleared_how="settled",
            amount=Decimal("50000.00"),
        ),
        "C1": DishonestyRecordFactory(
            subject=c,
            kind="unperformed_judgment",
            listed_on=dt.date(2026, 2, 1),
            cleared_on=dt.date(2026, 2, 21),
            cleared_how="performed",
            amount=None,
        ),
        # Not a defaulter kind: never on the dashboard.
        "A3": DishonestyRecordFactory(
            subject=a, kind="broken_commitment", case_number="", listed_on=dt.date(2026, 5, 1)
        ),
    }
    return made


def test_rows_carry_days_outstanding_court_and_case(records, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = list(government_defaulter_rows(on=ON))
        assert [row.pk for row in rows] == [records[key].pk for key in ("C1", "B1", "A2", "A1")]
        by_pk = {row.pk: row for row in rows}
        assert by_pk[records["A2"].pk].days_outstanding == 518
        assert by_pk[records["A1"].pk].days_outstanding == 50
        assert by_pk[records["C1"].pk].province_code == "360000"
        assert by_pk[records["B1"].pk].recording_agency.name_zh == records["B1"].recording_agency.name_zh
        assert by_pk[records["B1"].pk].subject.name == "乙县人民政府"


def figures(**filters):
    return dashboard_figures(filters=DashboardFilters(**filters))


def test_summary_matches_the_hand_computed_figures(records):
    dashboard_figures_compute()
    total = figures().total
    assert (total.records, total.open, total.open_bodies, total.cleared) == (4, 1, 1, 3)
    assert total.open_amount == Decimal("2000000.00")
    assert total.median_days_to_clear == 50.0  # of 20, 50, 100


def test_breakdown_by_province_level_and_kind(records):
    dashboard_figures_compute()
    found = figures()
    assert set(found.by_province) == {"340000", "360000"}
    anhui = found.by_province["340000"]
    assert (anhui.records, anhui.median_days_to_clear, anhui.open_amount) == (3, 75.0, Decimal("2000000.00"))
    assert found.by_province["360000"].median_days_to_clear == 20.0
    assert {level: f.records for level, f in found.by_level.items()} == {"county": 3, "prefecture": 1}
    assert {kind: f.records for kind, f in found.by_body_kind.items()} == {
        "government_organ": 3,
        "public_institution": 1,
    }


def test_breakdown_over_time(records):
    dashboard_figures_compute()
    years = [
        (y.year, y.listed, y.cleared, y.open_at_end, y.median_days_to_clear) for y in figures().years(ON)
    ]
    assert years == [(2025, 2, 1, 1, 50.0), (2026, 2, 2, 1, 60.0)]  # 2026: of 20 and 100
    # The stored figures reach a later year without a recompute: nothing listed or cleared, one open.
    later = figures().years(dt.date(2027, 1, 5))
    assert [(y.year, y.listed, y.cleared, y.open_at_end) for y in later][-1] == (2027, 0, 0, 1)


def test_filters(records):
    open_only = list(government_defaulter_rows(filters=DashboardFilters(open_only=True), on=ON))
    assert [row.pk for row in open_only] == [records["A2"].pk]
    dashboard_figures_compute()
    jiangxi = figures(province="360000").total
    assert jiangxi.records == 1 and jiangxi.open_amount == Decimal("0")
    county = figures(level="county", record_kind="court_defaulter").total  # summed on view from cells
    assert county.records == 2 and county.median_days_to_clear == 75.0


def test_rows_page_by_keyset(records):
    first = list(government_defaulter_rows(on=ON)[:2])
    after = RowPosition(first[-1].listed_on, first[-1].pk)
    second = list(government_defaulter_rows(on=ON, after=after)[:2])
    assert [row.pk for row in first + second] == [records[key].pk for key in ("C1", "B1", "A2", "A1")]
    assert RowPosition.parse(str(after)) == after
    for text in ("2025-13-01_4", "2025-01-01_x", "2025-01-01_0", "yesterday"):
        with pytest.raises(ValueError):
            RowPosition.parse(text)


def test_a_bodys_records_open_first_with_their_consequences(records, django_assert_max_num_queries):
    body = records["A1"].subject
    with django_assert_max_num_queries(1):
        found = [(r.pk, r.recording_agency.name_zh, r.creditor) for r in body_dishonesty_records(body=body)]
    assert [pk for pk, _agency, _creditor in found] == [records["A3"].pk, records["A2"].pk, records["A1"].pk]
