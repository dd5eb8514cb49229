"""The government-defaulters dashboard's rows and figures against figures worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from government.selectors import (
    DashboardFilters,
    body_dishonesty_records,
    government_defaulter_breakdown,
    government_defaulter_rows,
    government_defaulter_summary,
)
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


def test_summary_matches_the_hand_computed_figures(records):
    summary = government_defaulter_summary(on=ON)
    assert summary["records"] == 4 and summary["bodies"] == 3
    assert summary["open_records"] == 1 and summary["open_bodies"] == 1 and summary["cleared_records"] == 3
    assert summary["total_amount"] == Decimal("2150000.00") and summary["open_amount"] == Decimal(
        "2000000.00"
    )
    assert summary["median_days_to_clear"] == 50.0  # of 20, 50, 100
    assert summary["median_days_open"] == 518.0


def test_breakdown_by_province_level_and_kind(records):
    by_province = {row["group"]: row for row in government_defaulter_breakdown(group="province", on=ON)}
    assert set(by_province) == {"340000", "360000"}
    assert by_province["340000"]["median_days_to_clear"] == 75.0  # of 50 and 100
    assert by_province["340000"]["records"] == 3 and by_province["340000"]["open_amount"] == Decimal(
        "2000000.00"
    )
    assert by_province["360000"]["median_days_to_clear"] == 20.0
    by_level = {row["group"]: row["records"] for row in government_defaulter_breakdown(group="level", on=ON)}
    assert by_level == {"county": 3, "prefecture": 1}
    by_kind = {
        row["group"]: row["bodies"] for row in government_defaulter_breakdown(group="body_kind", on=ON)
    }
    assert by_kind == {"government_organ": 2, "public_institution": 1}


def test_breakdown_over_time(records):
    rows = government_defaulter_breakdown(group="province", period="year", on=ON)
    figures = {(row["group"], row["period"].year): row["median_days_to_clear"] for row in rows}
    assert figures == {("340000", 2025): 50.0, ("340000", 2026): 100.0, ("360000", 2026): 20.0}
    months = government_defaulter_breakdown(group="record_kind", period="month", on=ON)
    assert [
        (
            row["group"],
            row["period"].date().isoformat() if hasattr(row["period"], "date") else row["period"].isoformat(),
        )
        for row in months
    ][:2] == [
        ("arrears", "2025-06-01"),
        ("court_defaulter", "2025-01-01"),
    ]


def test_filters(records):
    open_only = list(government_defaulter_rows(filters=DashboardFilters(open_only=True), on=ON))
    assert [row.pk for row in open_only] == [records["A2"].pk]
    jiangxi = government_defaulter_summary(filters=DashboardFilters(province="360000"), on=ON)
    assert jiangxi["records"] == 1 and jiangxi["total_amount"] == Decimal("0")
    county = government_defaulter_summary(
        filters=DashboardFilters(level="county", record_kind="court_defaulter"), on=ON
    )
    assert county["records"] == 2 and county["median_days_to_clear"] == 75.0


def test_unknown_group_is_refused():
    with pytest.raises(ValueError, match="unknown group"):
        government_defaulter_breakdown(group="colour")


def test_a_bodys_records_open_first_with_their_consequences(records, django_assert_max_num_queries):
    body = records["A1"].subject
    with django_assert_max_num_queries(1):
        found = [(r.pk, r.recording_agency.name_zh, r.creditor) for r in body_dishonesty_records(body=body)]
    assert [pk for pk, _agency, _creditor in found] == [records["A3"].pk, records["A2"].pk, records["A1"].pk]


def test_cached_figures_are_recomputed_after_a_record_is_written(
    records, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from government.selectors import government_dashboard_figures
    from government.services import dishonesty_record_clear
    from registry.services.audit import SYSTEM

    cache.clear()
    first = government_dashboard_figures(on=ON)
    assert first["summary"]["open_records"] == 1
    assert {row["group"] for row in first["breakdowns"]["province"]} == {"340000", "360000"}
    with django_assert_max_num_queries(1):  # the cache's version only: no figure recomputed
        assert government_dashboard_figures(on=ON) == first
    with django_capture_on_commit_callbacks(execute=True):
        dishonesty_record_clear(
            record=records["A2"],
            actor=SYSTEM,
            via="admin",
            cleared_on=dt.date(2026, 10, 1),
            cleared_how="settled",
        )
    assert government_dashboard_figures(on=ON)["summary"]["open_records"] == 0
