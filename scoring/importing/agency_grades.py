"""``import_agency_grades``: one agency's file of grades in one scheme, all or nothing.

Each row is one enterprise's grade for one year. Every row is checked first (the grade is one of
the scheme's, the year has begun, the enterprise is registered, the issuer may grade in the
scheme and is the importing clerk's own agency); then every row goes through the service a single
grade goes through (``agency_grade_record``), in one transaction rolled back when any row fails
or on a preview. Grade files are small (an agency's yearly publication), so rows are written one
by one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blacklists.restrictions import local_name
from core.identifiers import is_valid_uscc
from registry.importing.spreadsheet import ImportFileError, RowError, SourceRow, read_rows
from registry.models import Agency, AuditEntry, Enterprise
from registry.services.audit import SYSTEM, Actor
from scoring.models import AgencyGradeLevel, AgencyGradeScheme
from scoring.services.agency_grades import (
    CHANGED,
    CREATED,
    agency_grade_default_issuer,
    agency_grade_issuer_error,
    agency_grade_may_import,
    agency_grade_record,
    agency_grade_year_error,
)

COLUMNS = {
    "uscc": ("uscc", "统一社会信用代码", "纳税人识别号", "社会信用代码"),
    "name": ("name", "名称", "企业名称", "纳税人名称", "单位名称"),
    "grade": ("grade", "等级", "信用等级", "纳税信用级别", "评价结果", "认证类别"),
    "year": ("year", "年度", "评价年度"),
    "valid_from": ("valid_from", "有效期起", "生效日期", "有效期自"),
    "valid_until": ("valid_until", "有效期止", "有效期至", "失效日期"),
    "decision_number": ("decision_number", "文书号", "决定文书号", "公告文号"),
    "issuing_agency": ("issuing_agency", "评价单位", "认定单位", "作出决定机关"),
}
REQUIRED = {"uscc", "grade", "year", "valid_from"}
FIELD_COLUMNS = {"level": "grade", "enterprise": "uscc", "__all__": ""}


class AgencyGradeImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class AgencyGradeImportReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.changed + self.unchanged


@dataclass
class GradeRow:
    line: int
    uscc: str
    name: str
    level: AgencyGradeLevel
    year: int
    valid_from: dt.date
    valid_until: dt.date | None
    decision_number: str
    issuing_agency: str


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object, column: str, row: SourceRow, *, required: bool) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = _text(value)
    if not raw:
        if required:
            row.errors.append(RowError(row.line, column, _("a date is required (YYYY-MM-DD)")))
        return None
    try:
        return dt.date.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        row.errors.append(RowError(row.line, column, _("'%(v)s' is not a date (YYYY-MM-DD)") % {"v": raw}))
        return None


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def grade_lookup(scheme: AgencyGradeScheme) -> dict[str, AgencyGradeLevel]:
    """A grade by its code or either of its names, case-insensitive (``a``, ``A级``, ``失信企业``)."""
    lookup = {}
    for level in scheme.levels.all():
        for key in (level.code, level.name_zh, level.name_en):
            lookup[key.strip().lower()] = level
    return lookup


def _parse(row: SourceRow, scheme: AgencyGradeScheme, grades: dict[str, AgencyGradeLevel]) -> GradeRow | None:
    values = row.values

    def error(column: str, message: str) -> None:
        row.errors.append(RowError(row.line, column, message))

    uscc = _text(values.get("uscc")).upper()
    if not uscc:
        error("uscc", _("the USCC is required"))
    elif not is_valid_uscc(uscc):
        error("uscc", _("'%(v)s' is not a valid USCC") % {"v": uscc})
    grade_text = _text(values.get("grade"))
    level = grades.get(grade_text.lower())
    if level is None:
        known = ", ".join(level.code for level in scheme.levels.all())
        error(
            "grade",
            _("'%(v)s' is not a grade of the %(scheme)s (its grades: %(known)s)")
            % {"v": grade_text, "scheme": local_name(scheme), "known": known},
        )
    year_text = _text(values.get("year"))
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if year is None:
        error("year", _("'%(v)s' is not a year (four digits)") % {"v": year_text})
    elif agency_grade_year_error(year):
        error("year", agency_grade_year_error(year))
        year = None
    valid_from = _date(values.get("valid_from"), "valid_from", row, required=True)
    valid_until = _date(values.get("valid_until"), "valid_until", row, required=False)
    if valid_from and year and valid_from.year < year:
        error("valid_from", _("a grade for %(year)d cannot hold before that year") % {"year": year})
    if valid_from and valid_until and valid_until <= valid_from:
        error("valid_until", _("the validity must end after it starts (%(start)s)") % {"start": valid_from})
    if valid_from and valid_until is None and scheme.validity_months:
        valid_until = _add_months(valid_from, scheme.validity_months) - dt.timedelta(days=1)
    if row.errors or level is None or year is None or valid_from is None:
        return None
    return GradeRow(
        line=row.line,
        uscc=uscc,
        name=_text(values.get("name")),
        level=level,
        year=year,
        valid_from=valid_from,
        valid_until=valid_until,
        decision_number=_text(values.get("decision_number")),
        issuing_agency=_text(values.get("issuing_agency")),
    )


def _check(
    scheme: AgencyGradeScheme, actor: Actor, rows: list[GradeRow], errors: list[RowError], notes: list[str]
) -> tuple[dict[str, Enterprise], dict[str, Agency]]:
    """Checks that need the database or the whole file: enterprises, issuers, duplicates."""
    enterprises = {
        e.uscc: e
        for e in Enterprise.objects.filter(uscc__in={row.uscc for row in rows}).only("id", "uscc", "name")
    }
    codes = {row.issuing_agency for row in rows if row.issuing_agency}
    agencies = {a.short_code: a for a in Agency.objects.filter(short_code__in=codes)}
    default_issuer = agency_grade_default_issuer(actor, scheme)
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        enterprise = enterprises.get(row.uscc)
        if enterprise is None:
            errors.append(
                RowError(
                    row.line,
                    "uscc",
                    _("no registered enterprise has USCC %(uscc)s; register it first") % {"uscc": row.uscc},
                )
            )
        elif row.name and row.name != enterprise.name:
            notes.append(
                _("line %(line)d: the register names %(uscc)s %(name)s")
                % {
                    "line": row.line,
                    "uscc": row.uscc,
                    "name": enterprise.name,
                }
            )
        issuer = agencies.get(row.issuing_agency) if row.issuing_agency else default_issuer
        if issuer is None:
            errors.append(
                RowError(
                    row.line,
                    "issuing_agency",
                    _("no agency has the short code '%(v)s'") % {"v": row.issuing_agency},
                )
            )
        else:
            problem = agency_grade_issuer_error(actor, scheme, issuer)
            if problem:
                errors.append(RowError(row.line, "issuing_agency", problem))
        key = (row.uscc, row.year)
        if key in seen:
            errors.append(
                RowError(
                    row.line,
                    "year",
                    _("the same enterprise and year are already on line %(n)d") % {"n": seen[key]},
                )
            )
        seen.setdefault(key, row.line)
    return enterprises, agencies


def _service_errors(row: GradeRow, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(row.line, "", " ".join(exc.messages))]
    return [
        RowError(row.line, FIELD_COLUMNS.get(name, name), " ".join(messages))
        for name, messages in exc.message_dict.items()
    ]


def agency_grade_scheme_for_import(code: str) -> AgencyGradeScheme:
    scheme = (
        AgencyGradeScheme.objects.select_related("issuing_agency")
        .prefetch_related("levels")
        .filter(code=code)
        .first()
    )
    if scheme is None:
        known = ", ".join(AgencyGradeScheme.objects.order_by("code").values_list("code", flat=True))
        raise ImportFileError(
            _("Unknown grading scheme '%(code)s'. Schemes: %(known)s.") % {"code": code, "known": known}
        )
    return scheme


def import_agency_grades(
    *,
    scheme_code: str,
    path: Path,
    actor: Actor = SYSTEM,
    via: str = AuditEntry.Via.IMPORT,
    dry_run: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> AgencyGradeImportReport:
    """Check every row of ``path``, then record all of them or none (``dry_run``: none, counted).

    Raises ``ImportFileError`` for an unknown scheme or a file it cannot read, ``PermissionDenied``
    for an actor whose agency does not grade in the scheme, and ``AgencyGradeImportError`` with every
    row's problem otherwise."""
    scheme = agency_grade_scheme_for_import(scheme_code)
    if not agency_grade_may_import(actor, scheme):
        raise PermissionDenied(
            _("Your agency does not issue the %(scheme)s: only its issuers may import its grades.")
            % {"scheme": local_name(scheme)}
        )
    step = progress or (lambda done, total: None)
    source_rows = read_rows(
        path, {a.lower(): name for name, names in COLUMNS.items() for a in names}, REQUIRED
    )
    step(1, 3)
    grades = grade_lookup(scheme)
    errors: list[RowError] = []
    rows = []
    for source in source_rows:
        parsed = _parse(source, scheme, grades)
        errors.extend(source.errors)
        if parsed is not None:
            rows.append(parsed)
    report = AgencyGradeImportReport()
    enterprises, agencies = _check(scheme, actor, rows, errors, report.notes)
    if errors:
        raise AgencyGradeImportError(sorted(errors, key=lambda error: error.line))
    step(2, 3)
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    _grade, outcome = agency_grade_record(
                        actor=actor,
                        via=via,
                        enterprise=enterprises[row.uscc],
                        scheme=scheme,
                        level=row.level,
                        year=row.year,
                        valid_from=row.valid_from,
                        valid_until=row.valid_until,
                        decision_number=row.decision_number,
                        issuing_agency=agencies.get(row.issuing_agency) if row.issuing_agency else None,
                    )
            except ValidationError as exc:
                errors.extend(_service_errors(row, exc))
                continue
            if outcome == CREATED:
                report.created += 1
            elif outcome == CHANGED:
                report.changed += 1
            else:
                report.unchanged += 1
        if errors or dry_run:
            transaction.set_rollback(True)
    step(3, 3)
    if errors:
        raise AgencyGradeImportError(sorted(errors, key=lambda error: error.line))
    return report
