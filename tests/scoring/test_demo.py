import io

import pytest
from django.core.management import call_command

from registry.models import Agency
from scoring.models import AlertListEntry, Evaluation, WarningInterview
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.scoring.helpers import reported

pytestmark = pytest.mark.django_db


def test_the_demo_shows_each_grade_the_alert_list_and_an_interview_for_the_county_bureau():
    bureau = Agency.objects.filter(kind=Agency.Kind.MARKET_REGULATION, level=Agency.Level.COUNTY).first()
    for _number in range(6):
        reported(EnterpriseFactory(region_id=bureau.region.parent_id, registration_authority=bureau))
    AgencyFactory(kind=Agency.Kind.BUREAU)
    out = io.StringIO()
    call_command("generate_demo_scoring", stdout=out)
    grades = set(Evaluation.objects.filter(is_current=True).values_list("grade", flat=True))
    assert grades == {"A", "B", "C", "D"}, out.getvalue()
    assert AlertListEntry.objects.on_list().exists()
    from demo.clerks import county_bureau

    assert WarningInterview.objects.filter(agency=county_bureau(), status="pending").exists()
    call_command("generate_demo_scoring", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
