"""The demo's agency grades: tax grades that agree with the tax records, Customs ratings, each once."""

import pytest
from django.core.management import call_command

from registry.models import AuditEntry
from scoring.models import AgencyGrade
from scoring.selectors.agency_grades import CUSTOMS_CREDIT_SCHEME, TAX_CREDIT_SCHEME, agency_grades_current
from tests.factories import EnterpriseFactory, TaxRecordFactory

pytestmark = pytest.mark.django_db


def test_the_demo_command_grades_enterprises_and_respects_if_empty():
    enterprises = EnterpriseFactory.create_batch(30)
    record = TaxRecordFactory(enterprise=enterprises[0], credit_grade="C")
    call_command("generate_demo_agency_grades", count=30, seed=2, if_empty=True)
    schemes = set(AgencyGrade.objects.values_list("scheme__code", flat=True))
    assert schemes == {TAX_CREDIT_SCHEME, CUSTOMS_CREDIT_SCHEME}
    current = {
        (g.enterprise_id, g.scheme.code): g
        for g in agency_grades_current(enterprise_ids=[e.pk for e in enterprises])
    }
    assert all((e.pk, TAX_CREDIT_SCHEME) in current for e in enterprises)
    # The grade in force is the one the enterprise's latest tax record carries.
    assert current[(enterprises[0].pk, TAX_CREDIT_SCHEME)].level.code == "C"
    assert current[(enterprises[0].pk, TAX_CREDIT_SCHEME)].year == record.period_end.year
    assert AuditEntry.objects.filter(
        via=AuditEntry.Via.COMMAND, content_type__model="agencygrade"
    ).count() == (AgencyGrade.objects.count())
    before = AgencyGrade.objects.count()
    call_command("generate_demo_agency_grades", count=30, seed=2, if_empty=True)
    assert AgencyGrade.objects.count() == before
