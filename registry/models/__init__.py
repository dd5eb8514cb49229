from registry.models.audit import AuditEntry
from registry.models.calendar import CalendarDay, WorkingCalendarYear
from registry.models.commitments import CreditCommitment
from registry.models.disclosures import InstantDisclosure, InstantDisclosureVersion
from registry.models.documents import Document
from registry.models.events import SubjectEvent
from registry.models.filings import AnnualReportFiling, AnnualReportFilingVersion
from registry.models.geo import Agency, AgencyMembership, Region
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
    "AgencyMembership",
    "AnnualReport",
    "AnnualReportFiling",
    "AnnualReportFilingVersion",
    "AuditEntry",
    "Award",
    "Branch",
    "CalendarDay",
    "ChangeRecord",
    "ContributionRecord",
    "CreditCommitment",
    "Document",
    "Enterprise",
    "InspectionRecord",
    "InstantDisclosure",
    "InstantDisclosureVersion",
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
