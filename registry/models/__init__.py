from registry.models.audit import AuditEntry
from registry.models.geo import Agency, AgencyMembership, Region
from registry.models.records import (
    RECORD_MODELS,
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    ContributionRecord,
    InspectionRecord,
    KeyPersonnel,
    Shareholder,
    TaxRecord,
    UtilityArrear,
)
from registry.models.search import SearchDocument
from registry.models.subjects import Enterprise, Person

__all__ = [
    "RECORD_MODELS",
    "AbnormalOperationListing",
    "AdministrativeLicence",
    "AdministrativePenalty",
    "Agency",
    "AgencyMembership",
    "AnnualReport",
    "AuditEntry",
    "Award",
    "Branch",
    "ChangeRecord",
    "ContributionRecord",
    "Enterprise",
    "InspectionRecord",
    "KeyPersonnel",
    "Person",
    "Region",
    "SearchDocument",
    "Shareholder",
    "TaxRecord",
    "UtilityArrear",
]
