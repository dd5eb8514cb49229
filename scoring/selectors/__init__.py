from scoring.selectors.evaluations import evaluation_current, evaluation_explanation, evaluation_history
from scoring.selectors.risk import DEFAULT_RISK_CLASS, enterprises_with_risk_class
from scoring.selectors.visibility import evaluation_visible_to, evaluations_visible_to, sees_every_evaluation

__all__ = [
    "DEFAULT_RISK_CLASS",
    "enterprises_with_risk_class",
    "evaluation_current",
    "evaluation_explanation",
    "evaluation_history",
    "evaluation_visible_to",
    "evaluations_visible_to",
    "sees_every_evaluation",
]
