"""Scoring's models, one module per part: rule sets, evaluation results, agency operational grades."""

from scoring.models.agency_grades import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme
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
    "AgencyGrade",
    "AgencyGradeLevel",
    "AgencyGradeScheme",
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
