from scoring.selectors.evaluations import evaluation_current, evaluation_explanation, evaluation_history
from scoring.selectors.risk import DEFAULT_RISK_CLASS, enterprises_with_risk_class
from scoring.selectors.triggers import (
    PublicScoring,
    alert_areas_named,
    alert_entry_current,
    alert_list,
    area_names,
    briefings_of,
    interviews_of,
    interviews_pending,
    public_scoring,
)
from scoring.selectors.visibility import evaluation_visible_to, evaluations_visible_to, sees_every_evaluation

__all__ = [
    "DEFAULT_RISK_CLASS",
    "PublicScoring",
    "alert_areas_named",
    "alert_entry_current",
    "alert_list",
    "area_names",
    "briefings_of",
    "enterprises_with_risk_class",
    "evaluation_current",
    "evaluation_explanation",
    "evaluation_history",
    "evaluation_visible_to",
    "evaluations_visible_to",
    "interviews_of",
    "interviews_pending",
    "public_scoring",
    "sees_every_evaluation",
]
