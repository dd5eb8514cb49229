import pytest
from django.core.management import call_command

from blacklists.models import ConsumptionRestrictionDetail, CourtDefaulterDetail, ListEntry, ListType

pytestmark = pytest.mark.django_db


def test_demo_cases_load_through_the_importer_and_are_searchable(client):
    call_command("generate_demo_data", enterprises=60, persons=200, seed=3, verbosity=0)
    call_command("generate_demo_list_entries", entries=40, per_list=6, seed=3)
    assert CourtDefaulterDetail.objects.count() > 10
    assert ConsumptionRestrictionDetail.objects.count() > 3
    entry = (
        ListEntry.objects.in_force().filter(list_type__code="court-defaulters", person__isnull=False).first()
    )
    body = client.get("/api/v1/defaulters/", {"q": entry.subject_name, "list": "all"}).json()
    assert entry.pk in {item["id"] for item in body["results"]}
    before = ListEntry.objects.count()
    call_command("generate_demo_list_entries", entries=40, seed=3, if_empty=True)
    assert ListEntry.objects.count() == before


def test_every_public_list_answers_the_api_with_demo_entries(client):
    call_command("generate_demo_data", enterprises=60, persons=200, seed=3, verbosity=0)
    call_command("generate_demo_list_entries", entries=40, per_list=6, seed=3)
    for code in ListType.objects.filter(public_search=True).values_list("code", flat=True):
        body = client.get("/api/v1/list-entries/", {"list": code}).json()
        assert body["estimated_count"] > 0 and body["results"], code
