"""Issuing a PDF credit report."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.identifiers import uscc_has_valid_shape
from portal.models import REPORT_NUMBER_ALPHABET, CreditReport
from portal.profile.build import enterprise_profile_public
from portal.report.pdf import REPORT_TIME_ZONE, ReportMeta, render_profile_pdf
from registry.models import AuditEntry, Enterprise
from registry.services.audit import Actor, audit_record, diff, snapshot

# A fresh number is drawn when one is taken; with 2**40 numbers a day this is never needed twice.
NUMBER_ATTEMPTS = 5


class ReportSubjectNotFound(LookupError):
    """No enterprise with this USCC is published."""


def credit_report_number_new(*, on) -> str:
    """``CR-<date in China>-XXXX-XXXX``: 40 random bits, so numbers cannot be guessed or enumerated."""
    body = "".join(secrets.choice(REPORT_NUMBER_ALPHABET) for _ in range(8))
    return f"CR-{on:%Y%m%d}-{body[:4]}-{body[4:]}"


def _number_source():
    # Read from the package, so ``portal.services.credit_report_number_new`` stays the one name to replace.
    from portal import services

    return services.credit_report_number_new


def credit_report_create(
    *, uscc: str, language: str, base_url: str, requested_by: Actor = None
) -> tuple[CreditReport, bytes]:
    """Render the public record of ``uscc`` as a PDF and register it; the PDF itself is not stored.

    ``base_url`` is the site's absolute root (``https://host/``); the report prints its verification
    address under it. Raises :class:`ReportSubjectNotFound` for an unknown code and
    :class:`ValidationError` for a language the portal does not offer.
    """
    code = uscc.strip().upper()
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("The report language is not one the portal offers.")})
    enterprise = (
        Enterprise.objects.filter(uscc=code).only("pk", "uscc", "name").first()
        if uscc_has_valid_shape(code)
        else None
    )
    if enterprise is None:
        raise ReportSubjectNotFound(code)

    created_at = timezone.now()
    with translation.override(language):
        profile = enterprise_profile_public(uscc=code, on=created_at.astimezone(REPORT_TIME_ZONE).date())
    if profile is None:
        raise ReportSubjectNotFound(code)

    number_new = _number_source()
    for attempt in range(NUMBER_ATTEMPTS):
        number = number_new(on=created_at.astimezone(REPORT_TIME_ZONE))
        if CreditReport.objects.filter(number=number).exists():
            continue
        verify_url = base_url.rstrip("/") + reverse("portal:report-verify", kwargs={"number": number})
        pdf = render_profile_pdf(
            profile,
            ReportMeta(number=number, created_at=created_at, verify_url=verify_url, language=language),
        )
        report = CreditReport(
            number=number,
            enterprise=enterprise,
            uscc=profile.uscc,
            name=profile.name,
            created_at=created_at,
            language=language,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size_bytes=len(pdf),
        )
        try:
            with transaction.atomic():
                report.full_clean()
                report.save(force_insert=True)
                audit_record(
                    actor=requested_by,
                    via=AuditEntry.Via.FORM,
                    action=AuditEntry.Action.CREATE,
                    instance=report,
                    changes=diff({}, snapshot(report)),
                )
        except (IntegrityError, ValidationError):
            # Another request took the number between the check and the insert.
            if attempt + 1 < NUMBER_ATTEMPTS and CreditReport.objects.filter(number=number).exists():
                continue
            raise
        return report, pdf
    raise RuntimeError("No free credit report number after several attempts.")
