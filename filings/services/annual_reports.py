"""Writes for annual reports filed by the company (年度报告), and the late filers.

Who may act for an enterprise is checked by the caller (the portal asks ``portal.permissions``);
these services check everything about the report itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services import require_acts_for
from filings.forms import FILING_LISTS, SOCIAL_INSURANCE_SCHEMES, FilingMainForm
from filings.models import AnnualReportFiling, AnnualReportFilingVersion
from filings.models.annual_reports import FILING_WITHHOLDABLE, filing_window
from registry.models import AbnormalOperationListing, AnnualReport, Document, Enterprise
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.documents import document_store, files_removed_on_error
from registry.services.records import record_create, record_update

Data = dict[str, Any]


# --- the report document ---------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _errors_of(form, prefix: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for name, errors in form.errors.items():
        key = f"{prefix}{name}" if name != "__all__" else (prefix.rstrip("-.") or "__all__")
        found.setdefault(key, []).extend(errors)
    return found


def filing_data_clean(*, data: Data, complete: bool) -> Data:
    """The report document validated by its forms and in canonical JSON form.

    ``complete=False`` (a draft) accepts empty fields and half-filled rows are still checked.
    Raises ValidationError keyed ``field`` or ``<list>-<row>-<field>``.
    """
    data = data if isinstance(data, dict) else {}
    main = FilingMainForm(data={k: v for k, v in data.items() if k not in FILING_LISTS}, complete=complete)
    errors = {} if main.is_valid() else _errors_of(main, "")
    clean: Data = {
        name: _jsonable(value) for name, value in main.cleaned_data.items() if value not in (None, "")
    }
    for key, (row_form, _title) in FILING_LISTS.items():
        rows = data.get(key) or []
        if not isinstance(rows, list):
            errors[key] = [_("This part must be a list of rows.")]
            continue
        clean_rows = []
        for index, row in enumerate(rows):
            form = row_form(data=row if isinstance(row, dict) else {})
            if form.is_valid():
                clean_rows.append(
                    {n: _jsonable(v) for n, v in form.cleaned_data.items() if v not in (None, "")}
                )
            else:
                errors.update(_errors_of(form, f"{key}-{index}-"))
        clean[key] = clean_rows
    if errors:
        raise ValidationError(errors)
    return clean


def _unpublished_clean(names) -> list[str]:
    names = sorted(set(names or []))
    unknown = [name for name in names if name not in FILING_WITHHOLDABLE]
    if unknown:
        raise ValidationError(
            {
                "unpublished_fields": _("These fields cannot be withheld: %(names)s")
                % {"names": ", ".join(unknown)}
            }
        )
    return names


def _check_attachment(enterprise: Enterprise, attachment: Document | None) -> None:
    if attachment is None:
        return
    if attachment.enterprise_id != enterprise.pk:
        raise ValidationError({"attachment": _("The attachment belongs to another enterprise.")})
    if attachment.content_type != "application/pdf":
        raise ValidationError({"attachment": _("The attachment must be a PDF file.")})


def filing_is_late(*, year: int, on: dt.date) -> bool:
    return on > filing_window(year)[1]


def _public_fields(data: Data, unpublished: list[str]) -> Data:
    """The public AnnualReport's values from a complete document."""

    def amount(name):
        return Decimal(data[name]) if data.get(name) not in (None, "") else None

    return {
        "operating_status": data.get("operating_status", AnnualReport.OperatingStatus.OPERATING),
        "contact_phone": data.get("contact_phone", ""),
        "email": data.get("email", ""),
        "postal_address": data.get("postal_address", ""),
        "postcode": data.get("postcode", ""),
        "employees": data.get("employees"),
        "female_employees": data.get("female_employees"),
        "disabled_employees": data.get("disabled_employees"),
        **{
            name: amount(name)
            for name in (
                "total_assets",
                "total_liabilities",
                "owners_equity",
                "revenue",
                "main_business_revenue",
                "profit",
                "net_profit",
                "tax_paid",
            )
        },
        **{key: data.get(key, []) for key in FILING_LISTS},
        "social_insurance_insured": {
            scheme: data[f"insured_{scheme}"]
            for scheme in SOCIAL_INSURANCE_SCHEMES
            if data.get(f"insured_{scheme}") is not None
        },
        "social_insurance_paid": {
            scheme: data[f"paid_{scheme}"]
            for scheme in SOCIAL_INSURANCE_SCHEMES
            if data.get(f"paid_{scheme}") not in (None, "")
        },
        "unpublished_fields": unpublished,
    }


def _publish(filing: AnnualReportFiling, *, submitted_at: dt.datetime, actor: Actor, via: str, note: str):
    fields = _public_fields(filing.data, list(filing.unpublished_fields))
    report = AnnualReport.objects.filter(enterprise=filing.enterprise, year=filing.year).first()
    if report is None:
        return record_create(
            model=AnnualReport,
            actor=actor,
            via=via,
            note=note,
            enterprise=filing.enterprise,
            year=filing.year,
            submitted_at=submitted_at,
            source_agency=filing.enterprise.registration_authority,
            **fields,
        )
    return record_update(record=report, actor=actor, via=via, note=note, submitted_at=submitted_at, **fields)


def _write(filing: AnnualReportFiling, before: Data, *, actor: Actor, via: str, action: str, note: str = ""):
    filing.full_clean()
    filing.save()
    audit_record(
        actor=actor,
        via=via,
        action=action,
        instance=filing,
        changes=diff(before, snapshot(filing)),
        reason=note,
    )


def _locked_filing(enterprise: Enterprise, year: int) -> AnnualReportFiling | None:
    return AnnualReportFiling.objects.select_for_update().filter(enterprise=enterprise, year=year).first()


def _uploaded_attachment(
    enterprise: Enterprise, attachment: Document | None, attachment_file, *, actor: Actor, via: str
) -> Document | None:
    """The attachment the filing keeps: a new upload is stored (inside the caller's transaction)."""
    if attachment_file is None:
        return attachment
    try:
        return document_store(
            enterprise=enterprise,
            kind=Document.Kind.ANNUAL_REPORT,
            uploaded_file=attachment_file,
            actor=actor,
            via=via,
        )
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error


def _set_content(filing, *, data: Data, unpublished_fields, attachment, complete: bool) -> None:
    _check_attachment(filing.enterprise, attachment)
    filing.data = filing_data_clean(data=data, complete=complete)
    filing.unpublished_fields = _unpublished_clean(unpublished_fields)
    filing.attachment = attachment


# --- services --------------------------------------------------------------------------------------
def annual_report_draft_save(
    *,
    enterprise: Enterprise,
    year: int,
    data: Data,
    unpublished_fields: list[str],
    attachment: Document | None = None,
    attachment_file=None,
    actor: Actor,
    via: str,
) -> AnnualReportFiling:
    """Create or update the draft for ``year``. A submitted report is changed by amending it.

    ``attachment_file``, an uploaded PDF, replaces ``attachment``: it is stored in the same
    transaction, and neither its row nor its file is kept when the draft is refused.
    """
    require_acts_for(actor, enterprise)
    with files_removed_on_error(), transaction.atomic():
        filing = _locked_filing(enterprise, year)
        if filing is not None and filing.is_submitted:
            raise ValidationError(_("This report was already submitted; amend it instead."))
        creating = filing is None
        filing = filing or AnnualReportFiling(enterprise=enterprise, year=year)
        before = {} if creating else snapshot(filing)
        attachment = _uploaded_attachment(enterprise, attachment, attachment_file, actor=actor, via=via)
        _set_content(
            filing, data=data, unpublished_fields=unpublished_fields, attachment=attachment, complete=False
        )
        _write(filing, before, actor=actor, via=via, action="create" if creating else "update")
    return filing


def annual_report_submit(
    *,
    enterprise: Enterprise,
    year: int,
    data: Data,
    unpublished_fields: list[str],
    attachment: Document | None = None,
    attachment_file=None,
    actor: Actor,
    via: str,
    now: dt.datetime | None = None,
) -> AnnualReportFiling:
    """Submit the report for ``year``: validated completely and published at once.

    Allowed from 1 January of the next year; after 30 June it is accepted but marked late.
    ``attachment_file``, an uploaded PDF, replaces ``attachment`` and is stored in the submission's
    transaction: a refused submission keeps neither its document row nor its file.
    """
    require_acts_for(actor, enterprise)
    now = now or timezone.now()
    today = timezone.localdate(now)
    opens, _closes = filing_window(year)
    if today < opens:
        raise ValidationError(
            _("The report for %(year)s can be submitted from %(date)s.")
            % {"year": year, "date": date_format(opens, "DATE_FORMAT")}
        )
    if not getattr(actor, "pk", None):
        raise ValidationError(_("A report is submitted by a signed-in user."))
    with files_removed_on_error(), transaction.atomic():
        filing = _locked_filing(enterprise, year)
        if filing is not None and filing.is_submitted:
            raise ValidationError(_("This report was already submitted; amend it instead."))
        creating = filing is None
        filing = filing or AnnualReportFiling(enterprise=enterprise, year=year)
        before = {} if creating else snapshot(filing)
        attachment = _uploaded_attachment(enterprise, attachment, attachment_file, actor=actor, via=via)
        _set_content(
            filing, data=data, unpublished_fields=unpublished_fields, attachment=attachment, complete=True
        )
        filing.status = AnnualReportFiling.Status.SUBMITTED
        filing.submitted_at = now
        filing.submitted_by = actor
        filing.late = filing_is_late(year=year, on=today)
        _write(
            filing, before, actor=actor, via=via, action="create" if creating else "update", note="submitted"
        )
        _version(
            filing, kind=AnnualReportFilingVersion.Kind.SUBMISSION, actor=actor, via=via, at=now, note=""
        )
        _publish(filing, submitted_at=now, actor=actor, via=via, note="annual report submitted")
    return filing


def annual_report_amend(
    *,
    filing: AnnualReportFiling,
    data: Data,
    unpublished_fields: list[str],
    attachment: Document | None = None,
    attachment_file=None,
    note: str,
    actor: Actor,
    via: str,
    now: dt.datetime | None = None,
) -> AnnualReportFiling:
    """Amend a submitted report: a new version with the note, and the public report follows.

    ``attachment_file`` as for :func:`annual_report_submit`: stored only with the amendment.
    """
    require_acts_for(actor, filing.enterprise)
    now = now or timezone.now()
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what the amendment changes.")})
    if not getattr(actor, "pk", None):
        raise ValidationError(_("A report is amended by a signed-in user."))
    with files_removed_on_error(), transaction.atomic():
        locked = AnnualReportFiling.objects.select_for_update().select_related("enterprise").get(pk=filing.pk)
        if not locked.is_submitted:
            raise ValidationError(_("Only a submitted report can be amended."))
        before = snapshot(locked)
        attachment = _uploaded_attachment(
            locked.enterprise, attachment, attachment_file, actor=actor, via=via
        )
        _set_content(
            locked, data=data, unpublished_fields=unpublished_fields, attachment=attachment, complete=True
        )
        _write(locked, before, actor=actor, via=via, action="update", note=note.strip())
        _version(
            locked,
            kind=AnnualReportFilingVersion.Kind.AMENDMENT,
            actor=actor,
            via=via,
            at=now,
            note=note.strip(),
        )
        _publish(locked, submitted_at=locked.submitted_at, actor=actor, via=via, note=note.strip())
    return locked


def _version(
    filing, *, kind: str, actor: Actor, via: str, at: dt.datetime, note: str
) -> AnnualReportFilingVersion:
    number = (filing.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = AnnualReportFilingVersion(
        filing=filing,
        number=number,
        kind=kind,
        data=filing.data,
        unpublished_fields=list(filing.unpublished_fields),
        attachment=filing.attachment,
        note=note,
        late=filing_is_late(year=filing.year, on=timezone.localdate(at)),
        created_by=actor,
        created_at=at,
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        via=via,
        action="create",
        instance=version,
        changes=diff({}, snapshot(version)),
        reason=note,
    )
    return version


# --- late filers -----------------------------------------------------------------------------------
def late_filers(*, year: int):
    """Enterprises in operation, established by the end of ``year``, with no report for it and not
    already listed for a missing report."""
    return (
        Enterprise.objects.filter(
            status=Enterprise.Status.IN_OPERATION,
            established__isnull=False,
            established__lte=dt.date(year, 12, 31),
        )
        .exclude(annual_reports__year=year)
        .exclude(
            abnormal_listings__reason=AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED,
            abnormal_listings__removed_on__isnull=True,
        )
        .select_related("registration_authority")
        .order_by("pk")
    )
