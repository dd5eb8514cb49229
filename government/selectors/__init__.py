"""Every non-trivial read of government records, assessments and feedback counts."""

from government.selectors.bodies import (
    assessment_round_scores,
    body_assessment_scores,
    body_dishonesty_records,
    body_feedback_statistics,
    subordinate_bodies,
)
from government.selectors.dashboard import DashboardFilters, RowPosition, government_defaulter_rows
from government.selectors.dashboard_figures import DashboardFigures
from government.selectors.dashboard_stored import dashboard_figures

__all__ = [
    "DashboardFigures",
    "DashboardFilters",
    "RowPosition",
    "assessment_round_scores",
    "body_assessment_scores",
    "body_dishonesty_records",
    "body_feedback_statistics",
    "dashboard_figures",
    "government_defaulter_rows",
    "subordinate_bodies",
]
