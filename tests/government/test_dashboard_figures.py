"""The dashboard's stored figures (computed in the job queue) against ones computed by hand.

Five records of three bodies (a county and a prefecture organ in Anhui, a county public
institution in Jiangsu); a broken commitment stays off the dashboard. Days to clear, from the
listed date: 30 (a court-defaulter listing), 344 (arrears, across 29 February 2024) and 60.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from government.selectors.dashboard import DashboardFilters, government_defaulter_rows
from government.selectors.dashboard_page import dashboard_csv_rows
from government.selectors.dashboard_stored import dashboard_figures
from government.services import dishonesty_record_clear
from government.services.dashboard import dashboard_figures_compute
from registry.services.audit import SYSTEM
from registry.services.jobs import jobs_run_pending
from tests.factories import DishonestyRecordFactory, EnterpriseFactory, GovernmentBodyFactory, make_uscc

pytestmark = pytest.mark.django_db
D = dt.date


def arrears(subject, *, listed_on, overdue_since, amount, **extra):
    return DishonestyRecordFactory(
        subject=subject,
        kind="arrears",
        case_number="",
        listed_on=listed_on,
        due_on=overdue_since - dt.timedelta(days=9),
        overdue_since=overdue_since,
        amount=Decimal(amount),
        creditor=EnterpriseFactory(),
        **extra,
    )


@pytest.fixture
def records():
    county = GovernmentBodyFactory(region_id="340100", level="county")
    prefecture = GovernmentBodyFactory(region_id="340100", level="prefecture")
    institution = GovernmentBodyFactory(
        region_id="320100",
        level="county",
        entity_type="public_institution",
        uscc=make_uscc("320100", category="12"),
    )
    made = {
        "cleared_30": DishonestyRecordFactory(
            subject=county,
            listed_on=D(2024, 3, 1),
            cleared_on=D(2024, 3, 31),
            cleared_how="performed",
            amount=Decimal("1000000"),
        ),
        "arrears_344": arrears(
            county,
            listed_on=D(2024, 2, 1),
            overdue_since=D(2024, 1, 10),
            amount="200000",
            cleared_on=D(2025, 1, 10),
            cleared_how="settled",
        ),
        "open_judgment": DishonestyRecordFactory(
            subject=prefecture, kind="unperformed_judgment", listed_on=D(2025, 6, 1), amount=Decimal("500000")
        ),
        "cleared_60": DishonestyRecordFactory(
            subject=institution,
            listed_on=D(2025, 1, 1),
            cleared_on=D(2025, 3, 2),
            cleared_how="performed",
            amount=Decimal("750000"),
        ),
        "open_arrears": arrears(
            institution, listed_on=D(2025, 5, 1), overdue_since=D(2025, 4, 1), amount="300000"
        ),
        "commitment": DishonestyRecordFactory(
            subject=county, kind="broken_commitment", case_number="", listed_on=D(2025, 2, 1), amount=None
        ),
    }
    dashboard_figures_compute()
    return made


def test_totals_and_medians_by_province_level_and_kind(records):
    summary = dashboard_figures(filters=DashboardFilters())
    total = summary.total
    assert (total.records, total.open, total.open_bodies, total.cleared) == (5, 2, 2, 3)
    assert total.open_amount == Decimal("800000")
    assert total.median_days_to_clear == 60
    anhui, jiangsu = summary.by_province["340000"], summary.by_province["320000"]
    assert (anhui.records, anhui.open, anhui.cleared, anhui.median_days_to_clear) == (3, 1, 2, 187)
    assert anhui.open_amount == Decimal("500000")
    assert (jiangsu.records, jiangsu.open, jiangsu.cleared, jiangsu.median_days_to_clear) == (2, 1, 1, 60)
    assert (summary.by_level["county"].records, summary.by_level["county"].median_days_to_clear) == (4, 60)
    assert summary.by_level["prefecture"].median_days_to_clear is None
    assert summary.by_body_kind["government_organ"].median_days_to_clear == 187
    assert summary.by_body_kind["public_institution"].open_amount == Decimal("300000")
    assert summary.by_record_kind["court_defaulter"].median_days_to_clear == 45
    assert summary.by_record_kind["arrears"].median_days_to_clear == 344
    assert summary.by_record_kind["unperformed_judgment"].open == 1
    assert "broken_commitment" not in summary.by_record_kind


def test_figures_over_time(records):
    today = timezone.localdate()
    years = dashboard_figures(filters=DashboardFilters()).years(today)
    assert [(y.year, y.listed, y.cleared, y.open_at_end) for y in years][:2] == [
        (2024, 2, 1, 1),
        (2025, 3, 2, 2),
    ]
    assert years[0].median_days_to_clear == 30
    assert years[1].median_days_to_clear == 202  # (344 + 60) / 2
    assert years[-1].year == today.year
    assert all(year.open_at_end == 2 for year in years[2:])


def test_filters_narrow_the_figures_and_the_rows(records):
    today = timezone.localdate()
    jiangsu = DashboardFilters(province="320000")
    assert dashboard_figures(filters=jiangsu).total.records == 2
    assert {r.pk for r in government_defaulter_rows(filters=jiangsu, on=today)} == {
        records["cleared_60"].pk,
        records["open_arrears"].pk,
    }
    open_only = DashboardFilters(open_only=True)
    assert dashboard_figures(filters=open_only).total.records == 2
    assert dashboard_figures(filters=DashboardFilters(record_kind="arrears")).total.records == 2
    assert dashboard_figures(filters=DashboardFilters(level="prefecture")).total.open == 1
    institutions = DashboardFilters(body_kind="public_institution")
    assert government_defaulter_rows(filters=institutions, on=today).count() == 2
    assert government_defaulter_rows(filters=DashboardFilters(cleared_only=True), on=today).count() == 3


def test_days_outstanding_run_from_the_listed_day_to_the_cleared_day_or_today(records):
    today = timezone.localdate()
    days = {
        row.pk: row.days_outstanding
        for row in government_defaulter_rows(filters=DashboardFilters(), on=today)
    }
    assert days[records["cleared_30"].pk] == 30
    assert days[records["arrears_344"].pk] == 344
    assert days[records["open_judgment"].pk] == (today - D(2025, 6, 1)).days
    assert days[records["open_arrears"].pk] == (today - D(2025, 5, 1)).days
    assert records["commitment"].pk not in days


def test_the_page_reads_stored_figures_in_one_query(records, django_assert_max_num_queries):
    for filters in (DashboardFilters(), DashboardFilters(province="340000", open_only=True)):
        with django_assert_max_num_queries(1):  # the stored figures: no record is read
            dashboard_figures(filters=filters)
    rarer = DashboardFilters(province="340000", level="county")
    with django_assert_max_num_queries(2):  # a rarer combination: which computation, its cells
        found = dashboard_figures(filters=rarer)
    assert (found.total.records, found.total.median_days_to_clear) == (2, 187)
    with django_assert_max_num_queries(1):  # then kept (cache) until the next computation
        assert dashboard_figures(filters=rarer) == found


def test_figures_not_yet_computed_are_empty_and_say_so(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        found = dashboard_figures(filters=DashboardFilters())
    assert found.computed_at is None and found.total.records == 0


def test_the_figures_say_when_they_were_computed(records):
    found = dashboard_figures(filters=DashboardFilters(level="prefecture", body_kind="government_organ"))
    assert found.computed_at == dashboard_figures(filters=DashboardFilters()).computed_at
    assert found.computed_at is not None and found.total.open == 1


def test_csv_rows_follow_the_filters_and_name_every_code(records):
    rows = list(
        dashboard_csv_rows(
            filters=DashboardFilters(record_kind="unperformed_judgment"),
            on=timezone.localdate(),
            province_names={"340000": "Anhui"},
        )
    )
    assert len(rows) == 2 and len(rows[0]) == len(rows[1]) == 14
    body = records["open_judgment"].subject
    assert rows[1][:6] == [
        body.name,
        body.uscc,
        "Anhui",
        "prefecture",
        "government organ",
        "court judgment not performed",
    ]
    assert rows[1][9:13] == ["2025-06-01", "500000.00", str((timezone.localdate() - D(2025, 6, 1)).days), ""]


def test_clearing_a_record_through_the_service_recomputes_the_stored_figures(
    records, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    assert dashboard_figures(filters=DashboardFilters()).total.open == 2
    with django_capture_on_commit_callbacks(execute=True):
        dishonesty_record_clear(
            record=records["open_judgment"],
            actor=SYSTEM,
            via="command",
            cleared_on=today,
            cleared_how="performed",
        )
    assert dashboard_figures(filters=DashboardFilters()).total.open == 2  # until the job has run
    assert jobs_run_pending() == 1
    assert dashboard_figures(filters=DashboardFilters()).total.open == 1


def test_figures_summed_from_cells_are_kept_until_the_next_computation(records):
    rare = DashboardFilters(level="prefecture", body_kind="government_organ")
    first = dashboard_figures(filters=rare)
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        again = dashboard_figures(filters=rare)
    assert again == first and not any("government_dashboardcell" in sql for sql in statements)
    # A new record and a new computation: the kept sum is not read again.
    DishonestyRecordFactory(subject=records["open_judgment"].subject, kind="unperformed_judgment")
    dashboard_figures_compute()
    assert dashboard_figures(filters=rare).total.open == first.total.open + 1
