"""Every write of a company's own filings: annual reports, instant disclosures, commitment letters."""

from filings.services.annual_reports import (
    annual_report_amend,
    annual_report_draft_save,
    annual_report_submit,
)
from filings.services.commitments import (
    credit_commitment_create,
    credit_commitment_mark_broken,
    credit_commitment_sign,
)
from filings.services.disclosures import (
    instant_disclosure_correct,
    instant_disclosure_due_on,
    instant_disclosure_publish,
)

__all__ = [
    "annual_report_amend",
    "annual_report_draft_save",
    "annual_report_submit",
    "credit_commitment_create",
    "credit_commitment_mark_broken",
    "credit_commitment_sign",
    "instant_disclosure_correct",
    "instant_disclosure_due_on",
    "instant_disclosure_publish",
]
