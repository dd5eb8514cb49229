"""Reads of decided applications: credit-repair eligibility and targets (``repair``), the clerk's
queue of work due (``queue``)."""

from casework.selectors.repair import (
    GENERAL_PENALTY_MONTHS,
    REPAIR_BASE_DOCUMENTS,
    SERIOUS_PENALTY_FINE,
    SERIOUS_PENALTY_MONTHS,
    Eligibility,
    RepairTarget,
    add_months,
    penalty_is_serious,
    penalty_repair_from,
    repair_applications_for_enterprise,
    repair_eligibility,
    repair_targets_for_enterprise,
)

__all__ = [
    "GENERAL_PENALTY_MONTHS",
    "REPAIR_BASE_DOCUMENTS",
    "SERIOUS_PENALTY_FINE",
    "SERIOUS_PENALTY_MONTHS",
    "Eligibility",
    "RepairTarget",
    "add_months",
    "penalty_is_serious",
    "penalty_repair_from",
    "repair_applications_for_enterprise",
    "repair_eligibility",
    "repair_targets_for_enterprise",
]
