"""The government demo data: bodies at every level, a realistic mix of records, two rounds."""

import pytest
from django.core.management import call_command

from government.models import AssessmentRound, AssessmentScore, DishonestyRecord, FeedbackStatistic
from registry.models import Enterprise
from tests.factories import EnterpriseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_demo_government_data_is_a_realistic_mix(client):
    EnterpriseFactory.create_batch(5)
    PersonFactory.create_batch(5)
    call_command("generate_demo_government", "--seed", "1")
    bodies = Enterprise.objects.exclude(level="")
    assert set(bodies.values_list("level", flat=True)) == {"provincial", "prefecture", "county", "township"}
    kinds = set(Enterprise.objects.values_list("entity_type", flat=True))
    assert {"government_organ", "public_institution", "mass_organisation", "village_committee"} <= kinds
    counties = bodies.filter(level="county", entity_type="government_organ", name__endswith="人民政府")
    with_records = counties.filter(dishonesty_records__isnull=False).distinct().count()
    assert 0 < with_records < counties.count() / 2  # most bodies are clean
    defaulters = DishonestyRecord.objects.filter(kind="court_defaulter")
    assert (
        defaulters.filter(cleared_on__isnull=True).exists()
        and defaulters.filter(cleared_on__isnull=False).exists()
    )
    assert defaulters.filter(cleared_on__isnull=True, list_entry__isnull=False).exists()
    assert DishonestyRecord.objects.filter(kind="arrears").exists()
    assert set(AssessmentRound.objects.values_list("kind", flat=True)) == {"third_party", "self"}
    assert AssessmentScore.objects.count() >= counties.count()
    made = DishonestyRecord.objects.count()
    assert FeedbackStatistic.objects.filter(channel="hotline_12345").count() == counties.count() * 12
    call_command("generate_demo_government", "--if-empty")
    assert DishonestyRecord.objects.count() == made  # --if-empty adds nothing the second time
    response = client.get("/government/defaulters/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Figures as of " in response.content.decode()
