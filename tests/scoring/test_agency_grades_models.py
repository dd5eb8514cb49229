"""Agency grade schemes and grades: the rules hold in full_clean and in the database itself."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.classification import Classification, model_classification
from registry.models import TaxRecord
from scoring.models import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme
from tests.factories import EnterpriseFactory
from tests.scoring.agency_grade_helpers import CUSTOMS, TAX, grade, last_year, month_ago, scheme

pytestmark = pytest.mark.django_db


def test_the_shipped_schemes_have_their_grades_in_order():
    tax = scheme(TAX)
    assert tax.issuing_agency.short_code == "sta"
    assert [(level.code, level.meaning) for level in tax.levels.order_by("rank")] == [
        ("A", "positive"),
        ("B", "neutral"),
        ("M", "neutral"),
        ("C", "negative"),
        ("D", "negative"),
    ]
    customs = scheme(CUSTOMS)
    assert customs.issuing_agency.short_code == "gac"
    assert [level.name_en for level in customs.levels.order_by("rank")] == [
        "Advanced certified enterprise",
        "General credit enterprise",
        "Dishonest enterprise",
    ]
    assert list(
        scheme("mee-environmental-credit").levels.order_by("rank").values_list("code", flat=True)
    ) == [
        "green",
        "blue",
        "yellow",
        "red",
        "black",
    ]


def test_the_tax_records_grade_letters_are_the_tax_schemes_grades():
    # TaxRecord.credit_grade and the tax credit scheme use one set of codes, so a record's letter
    # always has the scheme's names.
    assert set(TaxRecord.Grade.values) == set(scheme(TAX).levels.values_list("code", flat=True))


def test_grades_and_schemes_are_public():
    for model in (AgencyGradeScheme, AgencyGradeLevel, AgencyGrade):
        assert model_classification(model) == Classification.PUBLIC


def test_one_grade_per_enterprise_scheme_and_year():
    enterprise = EnterpriseFactory()
    first = grade(enterprise, "A")
    twin = AgencyGrade(
        enterprise=enterprise,
        scheme=first.scheme,
        level=first.level,
        year=first.year,
        valid_from=first.valid_from,
        issuing_agency=first.issuing_agency,
    )
    with pytest.raises(ValidationError, match="already has a grade in this scheme for this year"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    # Another year, or another scheme, is fine.
    grade(enterprise, "B", year=last_year() - 1)
    grade(enterprise, "general", scheme_code=CUSTOMS)
    assert enterprise.agency_grades.count() == 3


def test_the_validity_ends_after_it_starts():
    enterprise = EnterpriseFactory()
    tax = scheme(TAX)
    bad = AgencyGrade(
        enterprise=enterprise,
        scheme=tax,
        level=tax.levels.get(code="A"),
        year=last_year(),
        valid_from=month_ago(),
        valid_until=month_ago(),
        issuing_agency=tax.issuing_agency,
    )
    with pytest.raises(ValidationError, match="must end after it starts"):
        bad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_a_grade_cannot_hold_before_its_year():
    enterprise = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        grade(enterprise, "A", year=last_year(), valid_from=dt.date(last_year() - 1, 12, 31))


def test_the_grade_must_be_one_of_the_schemes_grades():
    enterprise = EnterpriseFactory()
    tax, customs = scheme(TAX), scheme(CUSTOMS)
    wrong = AgencyGrade(
        enterprise=enterprise,
        scheme=tax,
        level=customs.levels.get(code="dishonest"),
        year=last_year(),
        valid_from=month_ago(),
        issuing_agency=tax.issuing_agency,
    )
    with pytest.raises(ValidationError, match="not one of the scheme's grades"):
        wrong.full_clean()
    # The database refuses it too: (level, scheme) is a key of the scheme's grades.
    with pytest.raises(IntegrityError), transaction.atomic():
        wrong.save()


def test_a_schemes_grades_have_distinct_codes_and_ranks():
    tax = scheme(TAX)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyGradeLevel.objects.create(
            scheme=tax, code="A", rank=9, name_zh="A", name_en="A", meaning="positive"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyGradeLevel.objects.create(
            scheme=tax, code="X", rank=1, name_zh="X", name_en="X", meaning="positive"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyGradeLevel.objects.create(
            scheme=tax, code="Y", rank=7, name_zh="Y", name_en="Y", meaning="great"
        )
