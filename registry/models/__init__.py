from registry.models.audit import AuditEntry
from registry.models.calendar import CalendarDay, WorkingCalendarYear
from registry.models.documents import Document
from registry.models.events import SubjectEvent
from registry.models.geo import Agency, Region
from registry.models.jobs import Job
from registry.models.mail import OutboundMail
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
from registry.models.subjects import Enterprise, Person

__all__ = [
    "RECORD_MODELS",
    "AbnormalOperationListing",
    "AdministrativeLicence",
    "AdministrativePenalty",
    "Agency",
    "AnnualReport",
    "AuditEntry",
    "Award",
    "Branch",
    "CalendarDay",
    "ChangeRecord",
    "ContributionRecord",
    "Document",
    "Enterprise",
    "InspectionRecord",
    "Job",
    "KeyPersonnel",
    "OutboundMail",
    "Person",
    "Region",
    "Shareholder",
    "SubjectEvent",
    "TaxRecord",
    "UtilityArrear",
    "WorkingCalendarYear",
]
