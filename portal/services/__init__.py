"""Writes of the portal: PDF credit reports, sign-up and e-mail verification, notices."""

from portal.services.accounts import (
    account_signup,
    account_verification_resend,
    account_verification_send,
    account_verify,
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
    "ReportSubjectNotFound",
    "account_signup",
    "account_verification_resend",
    "account_verification_send",
    "account_verify",
    "credit_report_create",
    "credit_report_number_new",
    "follow_create",
    "follow_delete",
    "notices_dispatch",
    "notices_mark_read",
]
