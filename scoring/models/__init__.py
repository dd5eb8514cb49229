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
from scoring.models.triggers import (
    AlertListEntry,
    BriefingInvitation,
    InterviewStatus,
    WarningInterview,
)

__all__ = [
    "GRADED_SCHEMES",
    "AlertListEntry",
    "BriefingInvitation",
    "Cause",
    "ChangeWatermark",
    "Evaluation",
    "EvaluationContribution",
    "Grade",
    "GradeCutoff",
    "InterviewStatus",
    "Remedy",
    "RiskClassAssessment",
    "RiskClassContribution",
    "RuleSet",
    "RuleWeight",
    "Scheme",
    "WarningInterview",
]
