"""Every non-trivial read of government records, assessments and feedback counts."""

from government.selectors.bodies import (
    assessment_round_scores,
    body_assessment_scores,
    body_dishonesty_records,
    body_feedback_statistics,
    subordinate_bodies,
)
from government.selectors.dashboard import (
    DashboardFilters,
    dashboard_figures_clear,
    government_dashboard_figures,
    government_defaulter_breakdown,
    government_defaulter_rows,
    government_defaulter_summary,
)

__all__ = [
    "DashboardFilters",
    "assessment_round_scores",
    "body_assessment_scores",
    "body_dishonesty_records",
    "body_feedback_statistics",
    "dashboard_figures_clear",
    "government_dashboard_figures",
    "government_defaulter_breakdown",
    "government_defaulter_rows",
    "government_defaulter_summary",
    "subordinate_bodies",
]
