"""The dashboard's figures are computed in the job queue after each write, and the stored figures
equal a direct computation over the records for every combination of filters."""

import datetime as dt
import itertools
import random
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from government.models import DEFAULTER_KINDS, DashboardSnapshot
from government.selectors.dashboard import DashboardFilters
from government.selectors.dashboard_figures import Figures
from government.selectors.dashboard_stored import dashboard_figures
from government.services import dishonesty_record_clear, dishonesty_record_create
from government.services.dashboard import (
    DASHBOARD_FIGURES_JOB,
    dashboard_figures_compute,
    dashboard_figures_schedule_due,
)
from registry.models import Job
from registry.services.audit import SYSTEM
from registry.services.jobs import job_claim, jobs_run_pending
from tests.factories import (
    AgencyFactory,
    DishonestyRecordFactory,
    EnterpriseFactory,
    GovernmentBodyFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db


def queued() -> int:
    return Job.objects.filter(kind=DASHBOARD_FIGURES_JOB, status=Job.Status.QUEUED).count()


def record_court_defaulter(**extra):
    number = Job.objects.count() + DishonestyRecordFactory._meta.model.objects.count() + 1
    return dishonesty_record_create(
        actor=SYSTEM,
        via="admin",
        subject=GovernmentBodyFactory(),
        kind="court_defaulter",
        recording_agency=AgencyFactory(kind="court"),
        case_number=f"（2026）皖0102执{number}号",
        document_number=f"（2026）皖0102执{number}号",
        facts="未履行生效判决",
        listed_on=dt.date(2026, 3, 1),
        amount=Decimal("100000.00"),
        **extra,
    )


def test_a_write_queues_the_recompute_once_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = record_court_defaulter()
    assert queued() == 0  # nothing before the commit: a rolled-back write queues nothing
    for callback in callbacks:
        callback()
    assert queued() == 1
    with django_capture_on_commit_callbacks(execute=True):
        dishonesty_record_clear(
            record=record, actor=SYSTEM, via="admin", cleared_on=dt.date(2026, 4, 1), cleared_how="performed"
        )
    assert queued() == 1  # the job waiting will see this write too
    assert jobs_run_pending() == 1
    assert dashboard_figures(filters=DashboardFilters()).total.cleared == 1


def test_a_write_while_the_recompute_runs_queues_another(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record_court_defaulter()
    running = job_claim(worker="test")  # it may have read the records before the next write
    assert running.kind == DASHBOARD_FIGURES_JOB
    with django_capture_on_commit_callbacks(execute=True):
        record_court_defaulter()
    assert queued() == 1


def test_a_rolled_back_write_queues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record_court_defaulter()
        raise RuntimeError("the request failed")
    assert queued() == 0


def test_the_schedule_queues_a_recompute_when_none_ran_or_the_last_is_a_day_old():
    assert dashboard_figures_schedule_due() is None  # nothing to count yet
    DishonestyRecordFactory()  # loaded in bulk: no service queued the recompute
    assert dashboard_figures_schedule_due() is not None
    Job.objects.all().delete()
    dashboard_figures_compute()
    assert dashboard_figures_schedule_due() is None
    assert dashboard_figures_schedule_due(now=timezone.now() + dt.timedelta(days=1, minutes=1)) is not None


def test_a_recompute_replaces_every_stored_figure():
    DishonestyRecordFactory(subject=GovernmentBodyFactory(region_id="340100"), listed_on=dt.date(2026, 1, 5))
    dashboard_figures_compute()
    first = set(DashboardSnapshot.objects.values_list("filters_key", flat=True))
    assert {"", "state=open", "province=340000", "province=340000&state=cleared"} <= first
    DishonestyRecordFactory(subject=GovernmentBodyFactory(region_id="320100"), listed_on=dt.date(2026, 1, 6))
    result = dashboard_figures_compute()
    assert "province=320000" in set(DashboardSnapshot.objects.values_list("filters_key", flat=True))
    assert result["snapshots"] == DashboardSnapshot.objects.count()
    assert dashboard_figures(filters=DashboardFilters()).total.records == 2


# --- the stored figures against a direct computation --------------------------------------------

# Every grouping straight from the records, with PostgreSQL's own median: what the stored figures
# must equal, whatever the filters.
REFERENCE_SQL = """
SELECT GROUPING(province, body.level, body.entity_type, record.kind, listed_year, cleared_year),
    province, body.level, body.entity_type, record.kind, listed_year, cleared_year,
    count(*), count(*) FILTER (WHERE record.cleared_on IS NULL),
    count(DISTINCT record.subject_id) FILTER (WHERE record.cleared_on IS NULL),
    coalesce(sum(record.amount) FILTER (WHERE record.cleared_on IS NULL), 0),
    count(*) FILTER (WHERE record.cleared_on IS NOT NULL),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY record.cleared_on - record.listed_on)
        FILTER (WHERE record.cleared_on IS NOT NULL)
FROM government_dishonestyrecord record
JOIN registry_enterprise body ON body.id = record.subject_id
CROSS JOIN LATERAL (SELECT left(body.region_id, 2) || '0000' AS province,
    extract(year FROM record.listed_on)::int AS listed_year,
    extract(year FROM record.cleared_on)::int AS cleared_year) derived
WHERE record.kind = ANY(%s) AND (%s = '' OR left(body.region_id, 2) = left(%s, 2))
    AND (%s = '' OR body.level = %s) AND (%s = '' OR body.entity_type = %s)
    AND (NOT %s OR record.cleared_on IS NULL) AND (NOT %s OR record.cleared_on IS NOT NULL)
GROUP BY GROUPING SETS ((), (province), (body.level), (body.entity_type), (record.kind), (listed_year),
    (cleared_year))
"""
GROUPINGS = {0b111111: "total", 0b011111: "by_province", 0b101111: "by_level", 0b110111: "by_body_kind"}
GROUPINGS |= {0b111011: "by_record_kind", 0b111101: "listed", 0b111110: "cleared"}


def direct(filters: DashboardFilters) -> dict:
    kinds = [filters.record_kind] if filters.record_kind else [str(kind) for kind in DEFAULTER_KINDS]
    params = [kinds, filters.province, filters.province, filters.level, filters.level]
    params += [filters.body_kind, filters.body_kind, filters.open_only, filters.cleared_only]
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, params)
        rows = cursor.fetchall()
    found: dict = {"total": Figures(), "listed": {}, "cleared": {}}
    for grouping, province, level, body_kind, kind, listed_year, cleared_year, *values in rows:
        records, open_, bodies, amount, cleared, median = values
        figures = Figures(records, open_, bodies, Decimal(amount), cleared, median)
        name = GROUPINGS[grouping]
        if name == "total":
            found["total"] = figures
        elif name == "listed":
            found["listed"][listed_year] = records
        elif name == "cleared":
            if cleared_year is not None:
                found["cleared"][cleared_year] = (cleared, median)
        else:
            key = {"by_province": province, "by_level": level, "by_body_kind": body_kind}.get(name, kind)
            found.setdefault(name, {})[key] = figures
    return found


@pytest.fixture
def many_records():
    """Sixty records at random (a fixed seed) over three provinces, two levels and two kinds of body."""
    chance = random.Random(15)
    today = timezone.localdate()
    bodies = [
        GovernmentBodyFactory(
            region_id=region,
            level=level,
            entity_type=kind,
            uscc=make_uscc(region, category="11" if kind == "government_organ" else "12"),
        )
        for region, level, kind in itertools.product(
            ("340100", "320100", "360100"),
            ("county", "prefecture"),
            ("government_organ", "public_institution"),
        )
    ]
    creditor = EnterpriseFactory()
    for _ in range(60):
        kind = chance.choice(["court_defaulter", "unperformed_judgment", "arrears", "broken_commitment"])
        listed = today - dt.timedelta(days=chance.randint(1, 1500))
        cleared = listed + dt.timedelta(days=chance.randint(1, 500)) if chance.random() < 0.6 else None
        if cleared is not None and cleared > today:
            cleared = None
        extra = {"case_number": ""} if kind in ("arrears", "broken_commitment") else {}
        if kind == "arrears":
            extra |= {"creditor": creditor, "due_on": listed - dt.timedelta(days=30)}
            extra |= {"overdue_since": listed - dt.timedelta(days=29)}
        DishonestyRecordFactory(
            subject=chance.choice(bodies),
            kind=kind,
            listed_on=listed,
            cleared_on=cleared,
            cleared_how="settled" if cleared else "",
            amount=Decimal(chance.randint(1, 900) * 1000) if chance.random() < 0.9 else None,
            **extra,
        )


def test_the_stored_figures_equal_a_direct_computation_for_every_filter(many_records):
    dashboard_figures_compute()
    for province, level, kind, record, state in itertools.product(
        ("", "340000", "320000"),
        ("", "county"),
        ("", "public_institution"),
        ("", "arrears", "court_defaulter"),
        ("", "open", "cleared"),
    ):
        filters = DashboardFilters(
            province=province,
            level=level,
            body_kind=kind,
            record_kind=record,
            open_only=state == "open",
            cleared_only=state == "cleared",
        )
        stored, expected = dashboard_figures(filters=filters), direct(filters)
        assert stored.total == expected["total"], filters
        for name in ("by_province", "by_level", "by_body_kind", "by_record_kind"):
            assert getattr(stored, name) == expected.get(name, {}), (filters, name)
        assert stored.listed == expected["listed"], filters
        assert stored.cleared == expected["cleared"], filters
