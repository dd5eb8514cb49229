from inspections.models.directory import DeclaredConflict, InspectionItem, Inspector
from inspections.models.draws import DrawnTarget, Exclusion, InspectorAssignment, RiskClass
from inspections.models.results import InspectionResult, ResultCategory
from inspections.models.tasks import AnnualPlan, DrawManifest, InspectionTask, SecretCommitment

__all__ = [
    "AnnualPlan",
    "DeclaredConflict",
    "DrawManifest",
    "DrawnTarget",
    "Exclusion",
    "InspectionItem",
    "InspectionResult",
    "InspectionTask",
    "Inspector",
    "InspectorAssignment",
    "ResultCategory",
    "RiskClass",
    "SecretCommitment",
]
