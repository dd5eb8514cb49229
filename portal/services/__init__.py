"""Writes of the portal: PDF credit reports, company accounts and claiming, notices."""

from portal.services.accounts import (
    ClaimRefused,
    account_signup,
    account_verification_resend,
    account_verification_send,
    account_verify,
    activation_code_issue,
    enterprise_claim,
    membership_remove,
)
from portal.services.notices import (
    follow_create,
    follow_delete,
    notices_dispatch,
    notices_mark_read,
)
from portal.services.reports import (
    NUMBER_ATTEMPTS,
    ReportSubjectNotFound,
    credit_report_create,
    credit_report_number_new,
)

__all__ = [
    "NUMBER_ATTEMPTS",
    "ClaimRefused",
    "ReportSubjectNotFound",
    "account_signup",
    "account_verification_resend",
    "account_verification_send",
    "account_verify",
    "activation_code_issue",
    "credit_report_create",
    "credit_report_number_new",
    "enterprise_claim",
    "follow_create",
    "follow_delete",
    "membership_remove",
    "notices_dispatch",
    "notices_mark_read",
]
