import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from accounts.models import AgencyMembership
from blacklists.models import ApiClient
from core.classification import Classification, model_classification
from registry.models import AuditEntry, Enterprise
from registry.services.audit import SYSTEM
from scoring.models import Evaluation, RiskClassAssessment, RiskClassContribution, RuleSet
from scoring.selectors import enterprises_with_risk_class, evaluation_visible_to, evaluations_visible_to
from scoring.services import evaluation_run_for, risk_class_run_for, rule_set_create, rule_set_revise
from tests.factories import AgencyFactory, EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db

GOOD_CUTOFFS = [
    {"grade": "A", "min_score": 110, "max_score": None},
    {"grade": "B", "min_score": 95, "max_score": 110},
    {"grade": "C", "min_score": 75, "max_score": 95},
    {"grade": "D", "min_score": None, "max_score": 75},
]
WEIGHTS = [{"indicator": "award", "tier": "", "points": 5, "counts_for_months": 12}]


def create(**overrides):
    fields = {
        "code": "test-rules",
        "name_en": "Test",
        "name_zh": "测试",
        "scheme": "public_evaluation",
        "in_force_from": "2024-01-01",
        "weights": WEIGHTS,
        "cutoffs": GOOD_CUTOFFS,
        **overrides,
    }
    return rule_set_create(actor=SYSTEM, via="command", **fields)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"cutoffs": []}, "cutoffs", "needs its grades"),
        (
            {"cutoffs": [{**GOOD_CUTOFFS[0], "min_score": 105}, *GOOD_CUTOFFS[1:]]},
            "cutoffs",
            "Grades B and A overlap",
        ),
        ({"cutoffs": [{**GOOD_CUTOFFS[0], "min_score": 120}, *GOOD_CUTOFFS[1:]]}, "cutoffs", "leave a gap"),
        ({"cutoffs": GOOD_CUTOFFS[:3]}, "cutoffs", "Grade D has no cut-off"),
        (
            {"weights": [{"indicator": "horoscope", "points": -5, "counts_for_months": 12}]},
            "weights",
            "Unknown indicator horoscope",
        ),
        (
            {
                "weights": [
                    {
                        "indicator": "administrative_penalty",
                        "tier": "gigantic",
                        "points": -5,
                        "counts_for_months": 12,
                    }
                ]
            },
            "weights",
            "has no tier gigantic",
        ),
        (
            {
                "weights": [
                    {
                        "indicator": "administrative_penalty",
                        "tier": "",
                        "points": -5,
                        "counts_for_months": 12,
                    },
                    {
                        "indicator": "administrative_penalty",
                        "tier": "minor",
                        "points": -1,
                        "counts_for_months": 12,
                    },
                ]
            },
            "weights",
            "count twice",
        ),
        ({"scheme": "risk_class", "published": True}, "__all__", "never published"),
    ],
)
def test_bad_rule_sets_are_refused_with_a_clear_error_and_nothing_written(overrides, field, message):
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        create(**overrides)
    assert any(message in text for text in error.value.message_dict[field]), error.value.message_dict
    assert not RuleSet.objects.exists() and AuditEntry.objects.count() == audits


def test_a_refused_revision_writes_nothing():
    rule_set = create()
    with pytest.raises(ValidationError):
        rule_set_revise(rule_set=rule_set, actor=SYSTEM, via="command", cutoffs=GOOD_CUTOFFS[1:])
    assert RuleSet.objects.count() == 1 and rule_set.cutoffs.count() == 4


def test_visibility_follows_the_rule_set(default_rule_sets):
    enterprise = EnterpriseFactory()
    evaluation = evaluation_run_for(enterprise=enterprise)
    stranger = User.objects.create_user("stranger")
    own = member_of(enterprise)
    clerk = User.objects.create_user("clerk")
    AgencyMembership.objects.create(user=clerk, agency=AgencyFactory())
    scoped = ApiClient(name="bank", scopes=["evaluations"], token_hash="0" * 64)
    unscoped = ApiClient(name="shop", scopes=["restrictions"], token_hash="1" * 64)
    for viewer in (AnonymousUser(), stranger, own, clerk, scoped, unscoped):
        assert evaluation_visible_to(viewer, evaluation)  # the default rule set is published
    RuleSet.objects.filter(pk=evaluation.rule_set_id).update(published=False)
    evaluation = Evaluation.objects.select_related("rule_set").get(pk=evaluation.pk)
    for viewer, sees in (
        (AnonymousUser(), False),
        (stranger, False),
        (unscoped, False),
        (own, True),
        (clerk, True),
        (scoped, True),
    ):
        assert evaluation_visible_to(viewer, evaluation) is sees, viewer
        assert evaluations_visible_to(viewer).filter(pk=evaluation.pk).exists() is sees, viewer


def test_risk_class_selector_annotates_the_current_class_or_b(
    default_rule_sets, django_assert_max_num_queries
):
    classified, unclassified = EnterpriseFactory(established="2010-01-01"), EnterpriseFactory()
    assessment = risk_class_run_for(enterprise=classified)
    risk_class_run_for(enterprise=classified)  # history: one current row
    assert RiskClassAssessment.objects.filter(enterprise=classified).count() == 2
    with django_assert_max_num_queries(1):
        classes = dict(enterprises_with_risk_class(Enterprise.objects.all()).values_list("pk", "risk_class"))
    assert classes == {classified.pk: assessment.grade, unclassified.pk: "B"}


def test_risk_classes_are_government_only_and_never_published(default_rule_sets):
    assert model_classification(RiskClassAssessment) == Classification.GOVERNMENT
    assert model_classification(RiskClassContribution) == Classification.GOVERNMENT
    assert not RuleSet.objects.filter(scheme="risk_class", published=True).exists()
    with pytest.raises(ValidationError):
        rule_set_revise(
            rule_set=default_rule_sets["credit-risk-class"], actor=SYSTEM, via="command", published=True
        )
