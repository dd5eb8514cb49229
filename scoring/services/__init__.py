from scoring.services.evaluations import (
    NoRuleSetInForce,
    RunSummary,
    evaluation_run_all,
    evaluation_run_for,
    evaluations_run_for_ids,
    risk_class_run_all,
    risk_class_run_for,
)
from scoring.services.rules import (
    cutoff_errors,
    rule_set_create,
    rule_set_errors,
    rule_set_in_force,
    rule_set_revise,
    weight_errors,
)

__all__ = [
    "NoRuleSetInForce",
    "RunSummary",
    "cutoff_errors",
    "evaluation_run_all",
    "evaluation_run_for",
    "evaluations_run_for_ids",
    "risk_class_run_all",
    "risk_class_run_for",
    "rule_set_create",
    "rule_set_errors",
    "rule_set_in_force",
    "rule_set_revise",
    "weight_errors",
]
