"""The one import format of every list an agency keeps (all but the two court lists).

Agency lists are small (hundreds of decisions, not the court's millions), so each row goes through
the same service a clerk's form uses (``list_entry_create``): its checks, status history, audit
entry, subject event and search document. The whole file runs in one transaction that is rolled
back when any row fails, so a file is written all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from blacklists.importing.columns import aliases
from blacklists.importing.parse import parse_date
from blacklists.models import ListEntry, ListType, Severity
from blacklists.permissions import may_maintain
from blacklists.services.entries import list_entry_create
from core.identifiers import is_valid_uscc
from core.privacy import normalise_resident_id
from registry.importing.spreadsheet import RowError, SourceRow, read_rows
from registry.models import Agency, AuditEntry, Enterprise, Person
from registry.services import resident_id_error
from registry.services.audit import Actor
from registry.services.persons import person_find_by_id_number, person_get_or_create

VIA = AuditEntry.Via.IMPORT
AGENCY_COLUMNS = {
    "name": ("name", "名称", "姓名/名称", "当事人名称", "企业名称", "主体名称", "姓名"),
    "uscc": ("uscc", "统一社会信用代码"),
    "id_number": ("id_number", "身份证号码", "证件号码"),
    "decision_number": ("decision_number", "决定文书号", "决定书文号", "文书号"),
    "decision_date": ("decision_date", "决定日期", "认定日期"),
    "starts_on": ("starts_on", "列入日期"),
    "planned_end": ("planned_end", "计划移除日期", "移出日期"),
    "permanent": ("permanent", "永久列入"),
    "severity": ("severity", "严重程度"),
    "legal_basis": ("legal_basis", "列入依据", "法律依据"),
    "circumstance": ("circumstance", "失信情形", "违法失信行为"),
    "published_on": ("published_on", "公示日期", "发布日期"),
    "issuing_agency": ("issuing_agency", "认定单位", "作出决定机关"),
}
AGENCY_REQUIRED = {"name", "decision_number", "decision_date"}
YES = {"1", "yes", "true", "y", "是"}
NO = {"", "0", "no", "false", "n", "否"}
# The service's field names to the file's columns, so its errors name the column to fix.
FIELD_COLUMNS = {"subject_name": "name", "person": "id_number", "enterprise": "uscc", "__all__": ""}


@dataclass
class AgencyRow:
    line: int
    name: str
    uscc: str
    id_number: str  # kept in memory only: the person services store its hash and masked form
    issuing_agency: str
    fields: dict = field(default_factory=dict)

    @property
    def subject_column(self) -> str:
        return "id_number" if self.id_number else "uscc"

    @property
    def subject_key(self) -> str:
        return self.id_number or self.uscc


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _severities() -> dict[str, str]:
    lookup = {}
    for value, label in Severity.choices:
        lookup[value] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[str(label).lower()] = value
    return lookup


def _parse(row: SourceRow, severities: dict[str, str]) -> AgencyRow | None:
    values = row.values

    def error(column: str, message: str) -> None:
        row.errors.append(RowError(row.line, column, message))

    name = _text(values.get("name"))
    if len(name) < 2:
        error("name", _("the name needs at least two characters"))
    uscc = _text(values.get("uscc")).upper()
    id_number = normalise_resident_id(_text(values.get("id_number")))
    if bool(uscc) == bool(id_number):
        error("uscc", _("give either a USCC (enterprise) or a resident ID number (person), not both"))
    elif uscc and not is_valid_uscc(uscc):
        error("uscc", _("'%(v)s' is not a valid USCC") % {"v": uscc})
    elif id_number:
        problem = resident_id_error(id_number)
        if problem:
            error("id_number", problem)
    decision_number = _text(values.get("decision_number"))
    if not decision_number:
        error("decision_number", _("the decision number is required"))
    decision_date = parse_date(values.get("decision_date"), "decision_date", row)
    starts_on = parse_date(values.get("starts_on"), "starts_on", row, required=False) or decision_date
    planned_end = parse_date(values.get("planned_end"), "planned_end", row, required=False)
    published_on = parse_date(values.get("published_on"), "published_on", row, required=False)
    permanent_text = _text(values.get("permanent")).lower()
    if permanent_text not in YES | NO:
        error("permanent", _("use 1/0, yes/no or 是/否"))
    severity_text = _text(values.get("severity")).lower()
    severity = severities.get(severity_text, "") if severity_text else ""
    if severity_text and not severity:
        error("severity", _("'%(v)s' is not a severity") % {"v": severity_text})
    if row.errors:
        return None
    return AgencyRow(
        line=row.line,
        name=name,
        uscc=uscc,
        id_number=id_number,
        issuing_agency=_text(values.get("issuing_agency")),
        fields={
            "decision_number": decision_number,
            "decision_date": decision_date,
            "starts_on": starts_on,
            "planned_end": planned_end,
            "permanent": permanent_text in YES,
            "published_on": published_on,
            "severity": severity,
            "legal_basis": _text(values.get("legal_basis")),
            "circumstance": _text(values.get("circumstance")),
            "subject_name": name,
        },
    )


def _check(
    list_type: ListType, actor: Actor, rows: list[AgencyRow], errors: list[RowError]
) -> tuple[dict[str, Enterprise], dict[str, Agency]]:
    """Checks that need the database or the whole file: subjects, agencies, duplicates."""
    enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in={r.uscc for r in rows if r.uscc})}
    codes = {r.issuing_agency for r in rows if r.issuing_agency}
    agencies = {a.short_code: a for a in Agency.objects.filter(short_code__in=codes)}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.uscc and row.uscc not in enterprises:
            errors.append(
                RowError(
                    row.line,
                    "uscc",
                    _("no registered enterprise has USCC %(uscc)s; register it first") % {"uscc": row.uscc},
                )
            )
        if row.id_number and not list_type.holds_persons:
            errors.append(RowError(row.line, "id_number", _("this list does not hold persons")))
        if row.issuing_agency:
            agency = agencies.get(row.issuing_agency)
            if agency is None:
                errors.append(
                    RowError(
                        row.line,
                        "issuing_agency",
                        _("no agency has the short code '%(v)s'") % {"v": row.issuing_agency},
                    )
                )
            elif not may_maintain(actor, list_type=list_type, issuing_agency=agency):
                errors.append(
                    RowError(
                        row.line,
                        "issuing_agency",
                        _("you may not import entries issued by %(agency)s") % {"agency": agency.short_code},
                    )
                )
        key = (row.fields["decision_number"], row.subject_key)
        if key in seen:
            errors.append(
                RowError(
                    row.line,
                    "decision_number",
                    _("the same decision and subject are already on line %(n)d") % {"n": seen[key]},
                )
            )
        seen.setdefault(key, row.line)
    return enterprises, agencies


def _listed(list_type: ListType, rows: list[AgencyRow]) -> set[tuple[str, int | None, int | None]]:
    return set(
        ListEntry.objects.filter(
            list_type=list_type, decision_number__in={r.fields["decision_number"] for r in rows}
        ).values_list("decision_number", "person_id", "enterprise_id")
    )


def _service_errors(row: AgencyRow, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(row.line, "", " ".join(exc.messages))]
    return [
        RowError(
            row.line,
            row.subject_column if name == "subject" else FIELD_COLUMNS.get(name, name),
            " ".join(messages),
        )
        for name, messages in exc.message_dict.items()
    ]


def import_agency_list(
    *,
    list_type: ListType,
    path: Path,
    actor: Actor,
    dry_run: bool,
    step: Callable[[int, int | None], None],
) -> tuple[int, int, list[RowError]]:
    """(created, unchanged, errors) of one file; nothing is kept when there are errors or on a dry run."""
    source_rows = read_rows(path, aliases(AGENCY_COLUMNS), AGENCY_REQUIRED)
    step(1, 3)
    severities = _severities()
    errors: list[RowError] = []
    rows = []
    for source in source_rows:
        parsed = _parse(source, severities)
        errors.extend(source.errors)
        if parsed is not None:
            rows.append(parsed)
    enterprises, agencies = _check(list_type, actor, rows, errors)
    if errors:
        return 0, 0, errors
    step(2, 3)
    created = unchanged = 0
    with transaction.atomic():
        listed = _listed(list_type, rows)
        for row in rows:
            enterprise = enterprises.get(row.uscc) if row.uscc else None
            person = person_find_by_id_number(id_number=row.id_number) if row.id_number else None
            subject_ids = (person.pk if person else None, enterprise.pk if enterprise else None)
            if (row.fields["decision_number"], *subject_ids) in listed:
                unchanged += 1
                continue
            try:
                with transaction.atomic():
                    if row.id_number and person is None:
                        person = _person_create(row, actor)
                    list_entry_create(
                        actor=actor,
                        via=VIA,
                        list_type=list_type,
                        issuing_agency=agencies.get(row.issuing_agency, list_type.owner),
                        person=person,
                        enterprise=enterprise,
                        **row.fields,
                    )
            except ValidationError as exc:
                errors.extend(_service_errors(row, exc))
                continue
            created += 1
        if errors or dry_run:
            transaction.set_rollback(True)
    step(3, 3)
    return created, unchanged, errors


def _person_create(row: AgencyRow, actor: Actor) -> Person:
    person, _created = person_get_or_create(actor=actor, via=VIA, name=row.name, id_number=row.id_number)
    return person
