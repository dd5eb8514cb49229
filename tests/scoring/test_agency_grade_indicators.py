"""Agency grades weighed by the evaluation: a top grade as a good record, a bad grade as an adverse one."""

import datetime as dt

import pytest

from casework.selectors.repair import add_months
from scoring.models import Cause, Evaluation
from scoring.selectors import evaluation_explanation
from scoring.services import evaluation_run_for, risk_class_run_for
from scoring.services.watcher import evaluation_watch_changes
from tests.factories import EnterpriseFactory
from tests.scoring.agency_grade_helpers import CUSTOMS, TAX, grade, last_year, month_ago, row, today, write

pytestmark = pytest.mark.django_db

ENVIRONMENTAL = "mee-environmental-credit"


def found(enterprise):
    evaluation = evaluation_run_for(enterprise=enterprise)
    return evaluation, {
        (item.indicator, item.tier): item
        for item in evaluation_explanation(evaluation=evaluation)
        if item.indicator.startswith("agency_grade")
    }


def test_a_top_customs_grade_counts_with_its_scheme_agency_decision_and_dates(default_rule_sets):
    enterprise = EnterpriseFactory()
    advanced = grade(enterprise, "advanced", scheme_code=CUSTOMS, decision_number="署企〔2026〕8号")
    without, _ = found(EnterpriseFactory())
    evaluation, items = found(enterprise)
    item = items[("agency_grade_top", "customs")]
    assert item.points == 8
    assert (item.source_model, item.source_pk) == ("scoring.agencygrade", advanced.pk)
    assert item.agency_id == advanced.issuing_agency_id and item.agency.short_code == "gac"
    assert item.document_number == "署企〔2026〕8号"
    assert item.record_date == advanced.valid_from
    assert item.counts_until == add_months(advanced.valid_from, 24)  # no end of validity: the weight's months
    assert evaluation.score == without.score + 8


def test_a_grade_stops_counting_the_day_after_its_validity(default_rule_sets):
    enterprise = EnterpriseFactory()
    last_day = today() + dt.timedelta(days=40)
    green = grade(enterprise, "green", scheme_code=ENVIRONMENTAL, valid_until=last_day)
    _, items = found(enterprise)
    assert items[("agency_grade_top", "environmental")].counts_until == last_day + dt.timedelta(days=1)
    assert items[("agency_grade_top", "environmental")].points == 5

    green.valid_until = today() - dt.timedelta(days=1)
    green.save()
    _, items = found(enterprise)
    assert not items  # expired: nothing counts


def test_only_the_best_grade_is_a_top_grade_and_tax_a_is_weighed_once(default_rule_sets):
    blue, tax_a = EnterpriseFactory(), EnterpriseFactory()
    grade(blue, "blue", scheme_code=ENVIRONMENTAL)
    grade(tax_a, "A", scheme_code=TAX)
    assert found(blue)[1] == {}
    # The indicator finds it (tier "tax"), but the default rule set weighs tax A through tax_grade_a.
    assert found(tax_a)[1] == {}


@pytest.mark.parametrize(
    ("scheme_code", "code", "tier", "points"),
    [
        (TAX, "D", "tax", -20),
        (CUSTOMS, "dishonest", "customs", -25),
        (ENVIRONMENTAL, "red", "environmental", -15),
        (ENVIRONMENTAL, "black", "environmental", -15),
    ],
)
def test_a_bad_grade_is_adverse(default_rule_sets, scheme_code, code, tier, points):
    enterprise = EnterpriseFactory()
    bad = grade(enterprise, code, scheme_code=scheme_code, decision_number="决定〔2026〕3号")
    _, items = found(enterprise)
    item = items[("agency_grade_negative", tier)]
    assert item.points == points and item.source_pk == bad.pk
    assert item.document_number == "决定〔2026〕3号" and item.agency_id == bad.issuing_agency_id
    assert item.repairable_from is None and item.remedy == ""


@pytest.mark.parametrize(("scheme_code", "code"), [(TAX, "C"), (ENVIRONMENTAL, "yellow"), (TAX, "M")])
def test_a_warning_or_neutral_grade_is_not_weighed(default_rule_sets, scheme_code, code):
    enterprise = EnterpriseFactory()
    grade(enterprise, code, scheme_code=scheme_code)
    assert found(enterprise)[1] == {}


def test_the_newest_years_grade_is_the_current_one(default_rule_sets):
    enterprise = EnterpriseFactory()
    grade(
        enterprise,
        "dishonest",
        scheme_code=CUSTOMS,
        year=last_year() - 1,
        valid_from=month_ago() - dt.timedelta(days=365),
    )
    grade(enterprise, "advanced", scheme_code=CUSTOMS, year=last_year())
    _, items = found(enterprise)
    assert set(items) == {("agency_grade_top", "customs")}


def test_the_risk_class_weighs_a_bad_grade(default_rule_sets):
    enterprise = EnterpriseFactory()
    grade(enterprise, "D", scheme_code=TAX)
    assessment = risk_class_run_for(enterprise=enterprise)
    item = assessment.contributions.get(indicator="agency_grade_negative")
    assert (item.tier, item.points) == ("tax", -20)


def test_an_imported_grade_re_evaluates_its_enterprise(default_rule_sets, tmp_path):
    from scoring.importing.agency_grades import import_agency_grades

    enterprise = EnterpriseFactory()
    before = evaluation_run_for(enterprise=enterprise)
    evaluation_watch_changes()  # what the audit trail held so far
    import_agency_grades(scheme_code=TAX, path=write(tmp_path, [row(enterprise, grade="D")]))
    assert Evaluation.objects.get(enterprise=enterprise, is_current=True) == before  # not in the import
    assert evaluation_watch_changes().enterprises == 1
    after = Evaluation.objects.get(enterprise=enterprise, is_current=True)
    assert after.cause == Cause.RECORD_CHANGED and after.score == before.score - 20
    assert after.contributions.get(indicator="agency_grade_negative").tier == "tax"

    # Corrected to B by the next file: re-evaluated again, the adverse record gone.
    import_agency_grades(scheme_code=TAX, path=write(tmp_path, [row(enterprise, grade="B")]))
    assert evaluation_watch_changes().enterprises == 1
    corrected = Evaluation.objects.get(enterprise=enterprise, is_current=True)
    assert corrected.score == before.score
    assert not corrected.contributions.filter(indicator="agency_grade_negative").exists()
