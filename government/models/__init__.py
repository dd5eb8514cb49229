from government.models.assessments import (
    SCORE_MAX,
    AssessmentRound,
    AssessmentScore,
    FeedbackStatistic,
)
from government.models.dashboard import DashboardCell, DashboardSnapshot
from government.models.records import COURT_KINDS, DEFAULTER_KINDS, DishonestyRecord

__all__ = [
    "COURT_KINDS",
    "DEFAULTER_KINDS",
    "SCORE_MAX",
    "AssessmentRound",
    "AssessmentScore",
    "DashboardCell",
    "DashboardSnapshot",
    "DishonestyRecord",
    "FeedbackStatistic",
]
