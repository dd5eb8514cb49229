import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from blacklists.models import ListType
from blacklists.services import list_entry_create
from registry.models import Agency
from registry.services.audit import SYSTEM
from scoring.models import Evaluation, RuleSet
from scoring.selectors import evaluation_explanation
from scoring.services import evaluation_run_all, evaluation_run_for, rule_set_revise
from tests.factories import (
    AbnormalListingFactory,
    AnnualReportFactory,
    AwardFactory,
    CreditCommitmentFactory,
    EnterpriseFactory,
    InspectionFactory,
    InstantDisclosureFactory,
    PenaltyFactory,
    TaxRecordFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def months_ago(months: int) -> dt.date:
    day = today()
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def reported(enterprise):
    """Annual reports for every closed year, so only the record under test counts."""
    for year in range(today().year - 6, today().year):
        AnnualReportFactory(
            enterprise=enterprise, year=year, submitted_at=dt.datetime(year + 1, 3, 1, tzinfo=dt.UTC)
        )
    return enterprise


def contributions(enterprise):
    evaluation = evaluation_run_for(enterprise=enterprise)
    return evaluation, {(c.indicator, c.tier): c for c in evaluation_explanation(evaluation=evaluation)}


@pytest.mark.parametrize(
    ("fine", "confiscated", "tier", "points", "repair_months"),
    [
        (Decimal("5000"), Decimal("0"), "minor", -2, 3),
        (Decimal("50000"), Decimal("0"), "general", -8, 3),
        (Decimal("100000"), Decimal("0"), "serious", -20, 12),
        (Decimal("1000"), Decimal("10"), "serious", -20, 12),
    ],
)
def test_penalty_tiers_points_and_dates(default_rule_sets, fine, confiscated, tier, points, repair_months):
    decided = months_ago(2)
    penalty = PenaltyFactory(
        enterprise=reported(EnterpriseFactory(established=dt.date(2010, 1, 1))),
        fine_amount=fine,
        confiscated_amount=confiscated,
        decided_on=decided,
    )
    evaluation, found = contributions(penalty.enterprise)
    item = found[("administrative_penalty", tier)]
    assert item.points == points
    assert item.source_model == "registry.administrativepenalty" and item.source_pk == penalty.pk
    assert item.agency_id == penalty.deciding_agency_id and item.document_number == penalty.decision_number
    counts_for = {"minor": 12, "general": 24, "serious": 36}[tier]
    assert item.counts_until == _add_months(decided, counts_for)
    assert item.repairable_from == _add_months(decided, repair_months)
    assert item.remedy == "credit_repair"
    assert evaluation.score == 100 + points
    assert evaluation.rule_set.version == 1


def _add_months(day, months):
    from casework.selectors.repair import add_months

    return add_months(day, months)


def test_a_penalty_whose_publication_ended_stops_counting_then(default_rule_sets):
    penalty = PenaltyFactory(
        enterprise=reported(EnterpriseFactory()),
        decided_on=months_ago(2),
        publication_ends_on=today() + dt.timedelta(days=10),
    )
    _evaluation, found = contributions(penalty.enterprise)
    assert found[("administrative_penalty", "general")].counts_until == today() + dt.timedelta(days=10)
    penalty.publication_ends_on = today()
    penalty.save()
    _evaluation, found = contributions(penalty.enterprise)
    assert ("administrative_penalty", "general") not in found


def test_a_record_past_its_counting_period_no_longer_counts(default_rule_sets):
    penalty = PenaltyFactory(enterprise=reported(EnterpriseFactory()), decided_on=months_ago(25))
    _evaluation, found = contributions(penalty.enterprise)
    assert ("administrative_penalty", "general") not in found


def _entry(enterprise, code, *, severity=None, starts=None, agency="spc", number="(2026)皖0102执1号"):
    list_type = ListType.objects.get(code=code)
    starts = starts or months_ago(1)
    fields = {"severity": severity} if severity else {}
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise,
        issuing_agency=Agency.objects.get(short_code=agency),
        decision_number=number,
        decision_date=starts,
        starts_on=starts,
        planned_end=starts + dt.timedelta(days=730),
        **fields,
    )


@pytest.mark.parametrize(
    ("code", "agency", "indicator", "tier", "points", "remedy"),
    [
        ("court-defaulters", "spc", "court_defaulter", "", -40, "perform_judgment"),
        ("consumption-restriction", "spc", "consumption_restriction", "", -20, "perform_judgment"),
        ("samr-serious-illegal", "samr", "agency_blacklist", "serious", -30, "credit_repair"),
        ("gac-advanced-certified", "gac", "redlist", "", 10, ""),
    ],
)
def test_list_entries(default_rule_sets, code, agency, indicator, tier, points, remedy):
    enterprise = reported(EnterpriseFactory(established=dt.date(2024, 1, 1)))
    number = "(2026)皖0102执1号" if agency == "spc" else "皖市监〔2026〕1号"
    entry = _entry(enterprise, code, agency=agency, number=number)
    _evaluation, found = contributions(enterprise)
    item = found[(indicator, tier)]
    assert item.points == points and item.remedy == remedy
    assert item.source_model == "blacklists.listentry" and item.source_pk == entry.pk
    assert item.document_number == number
    if remedy == "credit_repair":
        assert item.repairable_from == entry.starts_on + dt.timedelta(
            days=entry.list_type.min_period_days or 0
        )
    else:
        assert item.repairable_from is None


def test_abnormal_listing_inspection_disclosure_commitments_award_tax(default_rule_sets):
    enterprise = reported(EnterpriseFactory(established=dt.date(2024, 1, 1)))
    listing = AbnormalListingFactory(enterprise=enterprise, listed_on=months_ago(3))
    InspectionFactory(enterprise=enterprise, inspected_on=months_ago(1), result="violation")
    InspectionFactory(enterprise=enterprise, inspected_on=months_ago(1), result="no_problem")
    occurred = months_ago(4)
    InstantDisclosureFactory(
        enterprise=enterprise,
        occurred_on=occurred,
        due_on=occurred + dt.timedelta(days=28),
        published_on=occurred + dt.timedelta(days=40),
    )
    CreditCommitmentFactory(enterprise=enterprise, signed_on=months_ago(2))
    broken = CreditCommitmentFactory(enterprise=enterprise, signed_on=months_ago(5))
    broken.broken_on, broken.broken_by, broken.broken_note = months_ago(1), broken.source_agency, "Not kept."
    broken.save()
    AwardFactory(enterprise=enterprise, awarded_on=months_ago(6))
    TaxRecordFactory(
        enterprise=enterprise, period_start=months_ago(4), period_end=months_ago(1), credit_grade="A"
    )
    _evaluation, found = contributions(enterprise)
    assert found[("abnormal_operations", "")].remedy == "abnormal_removal"
    assert found[("abnormal_operations", "")].repairable_from == listing.listed_on
    assert found[("inspection_problem", "serious")].points == -10
    assert ("inspection_problem", "general") not in found
    assert found[("disclosure_late", "")].points == -2
    assert found[("commitment_broken", "")].points == -10
    assert found[("commitment_kept", "")].points == 1
    assert found[("award", "")].points == 5
    assert found[("tax_grade_a", "")].points == 5


def test_a_later_grade_replaces_tax_grade_a(default_rule_sets):
    enterprise = reported(EnterpriseFactory())
    TaxRecordFactory(
        enterprise=enterprise, period_start=months_ago(8), period_end=months_ago(6), credit_grade="A"
    )
    TaxRecordFactory(
        enterprise=enterprise, period_start=months_ago(4), period_end=months_ago(1), credit_grade="B"
    )
    _evaluation, found = contributions(enterprise)
    assert ("tax_grade_a", "") not in found


def test_missing_and_late_annual_reports_and_the_clean_record(default_rule_sets):
    year = today().year
    enterprise = EnterpriseFactory(established=dt.date(2010, 1, 1))
    for report_year in range(year - 6, year - 1):
        AnnualReportFactory(
            enterprise=enterprise,
            year=report_year,
            submitted_at=dt.datetime(report_year + 1, 3, 1, tzinfo=dt.UTC),
        )
    _evaluation, found = contributions(enterprise)
    missing = found[("annual_report", "missing")]
    assert missing.document_number == str(year - 1) and missing.remedy == "abnormal_removal"
    assert ("clean_record", "") not in found
    AnnualReportFactory(
        enterprise=enterprise, year=year - 1, submitted_at=dt.datetime(year, 8, 1, tzinfo=dt.UTC)
    )
    _evaluation, found = contributions(enterprise)
    assert ("annual_report", "missing") not in found
    assert found[("annual_report", "late")].points == -2
    clean = reported(EnterpriseFactory(established=dt.date(2010, 1, 1)))
    _evaluation, found = contributions(clean)
    assert found[("clean_record", "")].points == 5


def test_cutoff_edges_score_on_a_boundary_takes_the_upper_grade(default_rule_sets):
    rule_set = default_rule_sets["public-evaluation"]
    enterprise = reported(EnterpriseFactory(established=dt.date(2025, 1, 1)))  # no clean record yet: 100
    assert evaluation_run_for(enterprise=enterprise).grade == "B"
    rule_set_revise(
        rule_set=rule_set,
        actor=SYSTEM,
        via="command",
        cutoffs=[
            {"grade": "A", "min_score": 100, "max_score": None},
            {"grade": "B", "min_score": 95, "max_score": 100},
            {"grade": "C", "min_score": 75, "max_score": 95},
            {"grade": "D", "min_score": None, "max_score": 75},
        ],
    )
    assert evaluation_run_for(enterprise=enterprise).grade == "A"  # 100 is A's lower bound, inclusive


def test_versioning_an_old_evaluation_keeps_its_version(default_rule_sets):
    rule_set = default_rule_sets["public-evaluation"]
    enterprise = reported(EnterpriseFactory())
    first = evaluation_run_for(enterprise=enterprise)
    second_version = rule_set_revise(rule_set=rule_set, actor=SYSTEM, via="command", base_score=90)
    assert second_version.version == 2 and second_version.previous == rule_set
    second = evaluation_run_for(enterprise=enterprise)
    first.refresh_from_db()
    assert first.rule_set == rule_set and not first.is_current
    assert second.rule_set == second_version and second.is_current and second.score == first.score - 10
    rule_set.refresh_from_db()
    assert rule_set.base_score == 100  # the version in force was not edited
    assert Evaluation.objects.filter(enterprise=enterprise).count() == 2


def test_full_run_evaluates_every_enterprise_but_cancelled_ones(default_rule_sets):
    EnterpriseFactory.create_batch(3)
    EnterpriseFactory(status="cancelled")
    summary = evaluation_run_all(batch_size=2)
    assert summary.results == 3
    assert Evaluation.objects.filter(is_current=True).count() == 3
    evaluation_run_all()
    assert Evaluation.objects.count() == 6 and Evaluation.objects.filter(is_current=True).count() == 3


def test_rule_set_not_in_force_yet_is_edited_in_place(default_rule_sets):
    rule_set = default_rule_sets["public-evaluation"]
    future = rule_set_revise(
        rule_set=rule_set, actor=SYSTEM, via="command", in_force_from=today() + dt.timedelta(days=30)
    )
    edited = rule_set_revise(rule_set=future, actor=SYSTEM, via="command", base_score=80)
    assert edited.pk == future.pk and RuleSet.objects.filter(code=rule_set.code).count() == 2


def test_a_one_enterprise_reevaluation_reads_only_the_weights_it_builds_its_statement_from(
    default_rule_sets,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enterprise = reported(EnterpriseFactory())
    evaluation_run_for(enterprise=enterprise)
    with CaptureQueriesContext(connection) as captured:
        evaluation_run_for(enterprise=enterprise)
    statements = [query["sql"] for query in captured.captured_queries]
    # The cut-offs are joined in SQL; the alert-list thresholds have no weights.
    assert not [sql for sql in statements if sql.startswith('SELECT "scoring_gradecutoff"')]
    assert len([sql for sql in statements if sql.startswith('SELECT "scoring_ruleweight"')]) == 1
    assert Evaluation.objects.filter(enterprise=enterprise, is_current=True).count() == 1
