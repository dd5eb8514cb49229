from scoring.models.results import (
    Cause,
    ChangeWatermark,
    Evaluation,
    EvaluationContribution,
    Remedy,
    RiskClassAssessment,
    RiskClassContribution,
)
from scoring.models.rules import GRADED_SCHEMES, Grade, GradeCutoff, RuleSet, RuleWeight, Scheme

__all__ = [
    "GRADED_SCHEMES",
    "Cause",
    "ChangeWatermark",
    "Evaluation",
    "EvaluationContribution",
    "Grade",
    "GradeCutoff",
    "Remedy",
    "RiskClassAssessment",
    "RiskClassContribution",
    "RuleSet",
    "RuleWeight",
    "Scheme",
]
