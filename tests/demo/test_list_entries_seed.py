"""The demo's list entries are reproducible: the same register, seed and day give the same entries."""

import pytest
from django.db import transaction

from blacklists.models import ListEntry
from registry.models import Enterprise
from tests.demo.helpers import generate

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return sorted(
        ListEntry.objects.values_list(
            "list_type__code",
            "subject_name",
            "issuing_agency__short_code",
            "decision_number",
            "decision_date",
            "starts_on",
            "planned_end",
            "status",
            "severity",
            "circumstance",
        )
    )


def test_the_same_seed_gives_the_same_entries():
    with transaction.atomic():
        generate(seed=9)
        first = (snapshot(), sorted(Enterprise.objects.values_list("uscc", "name")))
        transaction.set_rollback(True)
    generate(seed=9)
    assert (snapshot(), sorted(Enterprise.objects.values_list("uscc", "name"))) == first
    assert len(first[0]) > 250
