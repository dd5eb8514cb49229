"""Rule sets in admin: the central office edits through the services; other clerks read."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from registry.models import AuditEntry
from registry.services.audit import SYSTEM
from scoring.models import RuleSet
from scoring.services import rule_set_create

pytestmark = pytest.mark.django_db

CUTOFFS = [("A", 110, None), ("B", 95, 110), ("C", 75, 95), ("D", None, 75)]


def in_force_rule_set() -> RuleSet:
    return rule_set_create(
        actor=SYSTEM,
        via="command",
        code="admin-test",
        name_en="Admin test",
        name_zh="后台测试",
        scheme="public_evaluation",
        in_force_from="2024-01-01",
        weights=[{"indicator": "award", "tier": "", "points": 5, "counts_for_months": 12}],
        cutoffs=[{"grade": g, "min_score": low, "max_score": high} for g, low, high in CUTOFFS],
    )


def post_data(rule_set: RuleSet, *, award_points: int = 7, a_from: int = 110) -> dict:
    weight = rule_set.weights.get()
    cutoffs = {c.grade: c for c in rule_set.cutoffs.all()}
    data = {
        "code": rule_set.code,
        "name_en": rule_set.name_en,
        "name_zh": rule_set.name_zh,
        "scheme": rule_set.scheme,
        "description_en": "",
        "description_zh": "",
        "in_force_from": "2024-01-01",
        "base_score": "100",
        "author_agency": "",
        "weights-TOTAL_FORMS": "1",
        "weights-INITIAL_FORMS": "1",
        "weights-0-id": str(weight.pk),
        "weights-0-rule_set": str(rule_set.pk),
        "weights-0-indicator": "award",
        "weights-0-tier": "",
        "weights-0-points": str(award_points),
        "weights-0-counts_for_months": "12",
        "cutoffs-TOTAL_FORMS": "4",
        "cutoffs-INITIAL_FORMS": "4",
    }
    bounds = {"A": (a_from, None), "B": (95, 110), "C": (75, 95), "D": (None, 75)}
    for number, grade in enumerate("ABCD"):
        low, high = bounds[grade]
        data.update(
            {
                f"cutoffs-{number}-id": str(cutoffs[grade].pk),
                f"cutoffs-{number}-rule_set": str(rule_set.pk),
                f"cutoffs-{number}-grade": grade,
                f"cutoffs-{number}-min_score": "" if low is None else str(low),
                f"cutoffs-{number}-max_score": "" if high is None else str(high),
            }
        )
    return data


def change_url(rule_set: RuleSet) -> str:
    return reverse("admin:scoring_ruleset_change", args=[rule_set.pk])


def test_the_central_office_saves_a_rule_set_in_force_as_its_next_version(admin_client):
    rule_set = in_force_rule_set()
    response = admin_client.post(change_url(rule_set), post_data(rule_set, award_points=7))
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(RuleSet.objects.filter(code="admin-test").order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].weights.get().points == 5  # the version in force is untouched
    assert versions[1].weights.get().points == 7 and versions[1].previous == versions[0]
    assert AuditEntry.objects.filter(object_pk=str(versions[1].pk)).exists()


def test_another_clerk_reads_a_rule_set_and_cannot_change_it(client):
    rule_set = in_force_rule_set()
    clerk = User.objects.create_user("clerk", password="pw-123456789", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename="view_ruleset"))
    client.force_login(clerk)
    page = client.get(change_url(rule_set))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_en"' not in html and "Admin test" in html  # shown, not as a field
    assert client.post(change_url(rule_set), post_data(rule_set)).status_code == 403
    assert RuleSet.objects.filter(code="admin-test").count() == 1
    assert rule_set.weights.get().points == 5


def test_a_bad_cutoff_table_shows_the_error_keeps_the_input_and_writes_nothing(admin_client):
    rule_set = in_force_rule_set()
    audits = AuditEntry.objects.count()
    response = admin_client.post(change_url(rule_set), post_data(rule_set, award_points=9, a_from=105))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Grades B and A overlap" in html
    assert 'value="105"' in html and 'value="9"' in html  # what was typed is still in the form
    assert RuleSet.objects.filter(code="admin-test").count() == 1
    assert rule_set.weights.get().points == 5
    assert rule_set.cutoffs.get(grade="A").min_score == 110
    assert AuditEntry.objects.count() == audits
