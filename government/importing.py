"""Importing government dishonesty records from a spreadsheet: one recording agency per upload.

A court, finance bureau, discipline office, people's government or the credit office imports the
records it keeps (``government.permissions``) as itself: the target is the agency. Every row goes
through the record services, so an import obeys exactly the rules of the admin form; a row whose
agency already holds its document number corrects that record (and clears it when the file gives a
cleared date). All or nothing: one error anywhere and nothing is written; every error names its
line and column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from government.models import DishonestyRecord
from government.permissions import RECORDED_BY, may_record
from government.services import dishonesty_record_clear, dishonesty_record_create, dishonesty_record_update
from imports.kinds import Importer, ImportOutcome, ImportTarget
from registry.importing.spreadsheet import ImportFileError, RowError, SourceRow, header_key, read_rows
from registry.models import Agency, Enterprise
from registry.services.audit import Actor

VIA = "import"
# canonical column -> accepted headings (English and Chinese)
COLUMNS = {
    "uscc": ("uscc", "subject_uscc", "统一社会信用代码"),
    "kind": ("kind", "record_kind", "记录类别"),
    "document_number": ("document_number", "文书编号"),
    "case_number": ("case_number", "案号"),
    "facts": ("facts", "失信事实"),
    "listed_on": ("listed_on", "列入日期"),
    "amount": ("amount", "金额"),
    "creditor_uscc": ("creditor_uscc", "债权企业统一社会信用代码"),
    "due_on": ("due_on", "应付日期"),
    "overdue_since": ("overdue_since", "逾期起始日期"),
    "explanation_text": ("explanation_text", "书面说明"),
    "explanation_on": ("explanation_on", "说明日期"),
    "rectification_deadline": ("rectification_deadline", "整改期限"),
    "rectification_outcome": ("rectification_outcome", "整改结果"),
    "honours_barred_until": ("honours_barred_until", "限制评优评先至"),
    "officials_held_accountable": ("officials_held_accountable", "问责人数"),
    "accountability_outcome": ("accountability_outcome", "问责结果"),
    "cleared_on": ("cleared_on", "解除日期"),
    "cleared_how": ("cleared_how", "解除方式"),
}
REQUIRED = {"uscc", "kind", "document_number", "facts", "listed_on"}
DATES = {
    "listed_on",
    "due_on",
    "overdue_since",
    "explanation_on",
    "rectification_deadline",
    "honours_barred_until",
    "cleared_on",
}
CHOICES = {
    "kind": DishonestyRecord.Kind,
    "rectification_outcome": DishonestyRecord.RectificationOutcome,
    "accountability_outcome": DishonestyRecord.AccountabilityOutcome,
    "cleared_how": DishonestyRecord.ClearedHow,
}
TEXTS = {"document_number", "case_number", "facts", "explanation_text"}


def _aliases() -> dict[str, str]:
    return {header_key(heading): name for name, headings in COLUMNS.items() for heading in headings}


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _parse(row: SourceRow) -> dict | None:
    """The row's field values, or None after adding its errors to ``row.errors``."""
    fields: dict = {}
    for name, raw in row.values.items():
        text = _text(raw)
        if name in DATES:
            if isinstance(raw, dt.date):
                fields[name] = raw
            elif text:
                try:
                    fields[name] = dt.date.fromisoformat(text)
                except ValueError:
                    row.errors.append(
                        RowError(
                            row.line, name, _("'%(value)s' is not a date like 2026-03-01.") % {"value": text}
                        )
                    )
            else:
                fields[name] = None
        elif name == "amount":
            if not text:
                fields[name] = None
                continue
            try:
                amount = Decimal(text.replace(",", ""))
            except InvalidOperation:
                amount = None
            if amount is None or not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:
                row.errors.append(
                    RowError(
                        row.line,
                        name,
                        _("'%(value)s' is not a positive RMB amount with at most two decimals.")
                        % {"value": text},
                    )
                )
            else:
                fields[name] = amount
        elif name == "officials_held_accountable":
            if text and not text.isdigit():
                row.errors.append(
                    RowError(row.line, name, _("'%(value)s' is not a whole number.") % {"value": text})
                )
            else:
                fields[name] = int(text or 0)
        elif name in CHOICES:
            choices = CHOICES[name]
            if text and text not in choices.values:
                row.errors.append(
                    RowError(
                        row.line,
                        name,
                        _("'%(value)s' is not one of: %(codes)s.")
                        % {"value": text, "codes": ", ".join(choices.values)},
                    )
                )
            else:
                fields[name] = text
        elif name in TEXTS:
            fields[name] = text
        else:
            fields[name] = text.upper()
    return None if row.errors else fields


def _errors_of(line: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(line, "", " ".join(exc.messages))]
    columns = {"subject": "uscc", "creditor": "creditor_uscc", "__all__": ""}
    return [
        RowError(line, columns.get(name, name), " ".join(messages))
        for name, messages in exc.message_dict.items()
    ]


def import_government_records(*, agency: Agency, path: Path, actor: Actor, dry_run: bool) -> ImportOutcome:
    """Check (``dry_run``) or write one file of ``agency``'s records; nothing is kept on any error."""
    source_rows = read_rows(path, _aliases(), REQUIRED)
    errors: list[RowError] = []
    parsed: list[tuple[int, dict]] = []
    for source in source_rows:
        fields = _parse(source)
        errors.extend(source.errors)
        if fields is not None:
            parsed.append((source.line, fields))
    codes = {fields["uscc"] for _line, fields in parsed} | {
        fields["creditor_uscc"] for _line, fields in parsed if fields.get("creditor_uscc")
    }
    enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
    existing = {
        record.document_number: record
        for record in DishonestyRecord.objects.filter(
            recording_agency=agency, document_number__in={fields["document_number"] for _l, fields in parsed}
        ).select_related("recording_agency", "subject", "list_entry")
    }
    outcome = ImportOutcome(rows=len(source_rows))
    seen: dict[str, int] = {}
    with transaction.atomic():
        for line, fields in parsed:
            number = fields["document_number"]
            if number in seen:
                errors.append(
                    RowError(
                        line,
                        "document_number",
                        _("document number %(number)s is also on line %(line)d")
                        % {"number": number, "line": seen[number]},
                    )
                )
                continue
            seen[number] = line
            subject = enterprises.get(fields.pop("uscc"))
            if subject is None:
                errors.append(RowError(line, "uscc", _("no body with this USCC is in the register")))
                continue
            creditor_code = fields.pop("creditor_uscc", "")
            creditor = enterprises.get(creditor_code) if creditor_code else None
            if creditor_code and creditor is None:
                errors.append(
                    RowError(line, "creditor_uscc", _("no enterprise with this USCC is in the register"))
                )
                continue
            fields.update(subject=subject, creditor=creditor)
            try:
                with transaction.atomic():
                    _write_row(
                        agency=agency,
                        fields=fields,
                        record=existing.get(number),
                        actor=actor,
                        outcome=outcome,
                    )
            except ValidationError as exc:
                errors.extend(_errors_of(line, exc))
            except PermissionDenied as exc:
                errors.append(RowError(line, "kind", str(exc)))
        if errors or dry_run:
            transaction.set_rollback(True)
    outcome.errors = errors
    return outcome


def _write_row(
    *, agency: Agency, fields: dict, record: DishonestyRecord | None, actor: Actor, outcome
) -> None:
    if record is None:
        dishonesty_record_create(actor=actor, via=VIA, recording_agency=agency, **fields)
        outcome.create += 1
        return
    cleared_on, cleared_how = fields.pop("cleared_on", None), fields.pop("cleared_how", "")
    changes = {
        name: value
        for name, value in fields.items()
        if getattr(record, name) != value and name in {f.name for f in DishonestyRecord._meta.fields}
    }
    changed = bool(changes)
    if changes:
        record = dishonesty_record_update(record=record, actor=actor, via=VIA, **changes)
    if cleared_on is not None and record.cleared_on is None:
        dishonesty_record_clear(
            record=record, actor=actor, via=VIA, cleared_on=cleared_on, cleared_how=cleared_how
        )
        changed = True
    elif (cleared_on, cleared_how) != (record.cleared_on, record.cleared_how):
        raise ValidationError(
            {
                "cleared_on": _(
                    "A cleared record stays cleared as recorded; the file gives other dates or means."
                )
            }
        )
    if changed:
        outcome.change += 1
    else:
        outcome.unchanged += 1


def _recording_agencies(actor: Actor):
    if is_unrestricted(actor):
        return Agency.objects.filter(kind__in=list(RECORDED_BY)).order_by("kind", "name_zh")
    agency = clerk_agency(actor)
    if agency is None or agency.kind not in RECORDED_BY:
        return Agency.objects.none()
    return Agency.objects.filter(pk=agency.pk)


def _name(agency: Agency) -> str:
    return agency.name_zh if (get_language() or "").startswith("zh") else agency.name_en


def _targets(actor: Actor) -> list[ImportTarget]:
    return [
        ImportTarget(code=agency.short_code, label=_name(agency)) for agency in _recording_agencies(actor)
    ]


def _may_import(actor: Actor, target: str) -> bool:
    agency = Agency.objects.filter(short_code=target).first()
    if agency is None or agency.kind not in RECORDED_BY:
        return False
    # The rows' kinds are checked one by one; here: may the actor record for this agency at all.
    return any(may_record(actor, recording_agency=agency, kind=kind) for kind in RECORDED_BY[agency.kind])


def _target_label(code: str) -> str:
    agency = Agency.objects.filter(short_code=code).first()
    return _name(agency) if agency else code


def _run(*, path: Path, target: str, actor: Actor, write: bool, progress=None) -> ImportOutcome:
    agency = Agency.objects.filter(short_code=target).first()
    if agency is None:
        raise ImportFileError(_("No agency has the code %(code)s.") % {"code": target})
    return import_government_records(agency=agency, path=path, actor=actor, dry_run=not write)


GOVERNMENT_RECORD_IMPORTER = Importer(
    kind="government_records",
    label=lambda: _("Government dishonesty records"),
    run=_run,
    may_import=_may_import,
    targets=_targets,
    target_label=_target_label,
    results_url=lambda target: reverse("admin:government_dishonestyrecord_changelist"),
    docs="docs/government.md",
)
