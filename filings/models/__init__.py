from filings.models.annual_reports import AnnualReportFiling, AnnualReportFilingVersion
from filings.models.commitments import CreditCommitment
from filings.models.disclosures import InstantDisclosure, InstantDisclosureVersion

__all__ = [
    "AnnualReportFiling",
    "AnnualReportFilingVersion",
    "CreditCommitment",
    "InstantDisclosure",
    "InstantDisclosureVersion",
]
