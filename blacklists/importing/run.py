"""``import_list``: validate a whole file of court cases or agency decisions, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from blacklists.importing.agency import import_agency_list
from blacklists.importing.columns import SPECS, aliases
from blacklists.importing.parse import (
    OrganisationKey,
    ParsedCase,
    PersonKey,
    court_code_lookup,
    parse_case,
    province_lookup,
)
from blacklists.importing.writer import (
    entity_type_from_uscc,
    existing_enterprises,
    existing_persons,
    write_cases,
)
from blacklists.models import ListEntry, ListType
from blacklists.permissions import require_may_maintain
from blacklists.services.entries import GOVERNMENT_TYPES, default_planned_end, period_error
from registry.importing.spreadsheet import ImportFileError, RowError, read_rows
from registry.models import Enterprise
from registry.services.audit import SYSTEM, Actor


class ListImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ListImportReport:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def importable_list(code: str) -> ListType:
    """Any list: the court lists in the court site's format, the others in the agency format."""
    list_type = ListType.objects.select_related("owner").filter(code=code).first()
    if list_type is None:
        known = ", ".join(ListType.objects.order_by("code").values_list("code", flat=True))
        raise ImportFileError(
            _("Unknown list code '%(code)s'. Lists that can be imported: %(known)s.")
            % {
                "code": code,
                "known": known,
            }
        )
    return list_type


def _subject_identity(case: ParsedCase) -> str:
    return case.subject.id_hash if isinstance(case.subject, PersonKey) else case.subject.uscc


def _check(list_type: ListType, cases: list[ParsedCase], errors: list[RowError]) -> None:
    """Checks that need the database or the whole file: subjects, kinds, periods, duplicates."""
    codes = {
        c.subject.organisation_code
        for c in cases
        if isinstance(c.subject, OrganisationKey) and c.subject.organisation_code
    }
    by_uscc, by_code = existing_enterprises(
        {c.subject.uscc for c in cases if isinstance(c.subject, OrganisationKey) and c.subject.uscc}, codes
    )
    seen: dict[tuple[str, str], int] = {}
    for case in cases:
        subject = case.subject
        if isinstance(subject, OrganisationKey) and subject.organisation_code:
            enterprise = by_code.get(subject.organisation_code)
            if enterprise is None:
                errors.append(
                    RowError(
                        case.line,
                        "id_number",
                        _("no registered enterprise has organisation code %(code)s; give its USCC instead")
                        % {"code": subject.organisation_code},
                    )
                )
                continue
            subject.uscc = enterprise.uscc
            by_uscc[enterprise.uscc] = enterprise
        if isinstance(subject, PersonKey):
            if not list_type.holds_persons:
                errors.append(RowError(case.line, "id_number", _("this list does not hold persons")))
        else:
            known = by_uscc.get(subject.uscc)
            entity_type = known.entity_type if known else entity_type_from_uscc(subject.uscc)
            allowed = (
                list_type.holds_government_bodies
                if entity_type in GOVERNMENT_TYPES
                else list_type.holds_enterprises
            )
            if not allowed:
                errors.append(
                    RowError(case.line, "id_number", _("this list does not hold this kind of subject"))
                )
        planned_end = case.planned_end or default_planned_end(list_type, case.publish_date)
        problem = period_error(
            list_type, starts_on=case.publish_date, planned_end=planned_end, permanent=planned_end is None
        )
        if problem:
            errors.append(RowError(case.line, "planned_end", problem[1]))
        key = (case.case_number, _subject_identity(case))
        if key in seen:
            errors.append(
                RowError(
                    case.line,
                    "case_number",
                    _("the same case and subject are already on line %(n)d") % {"n": seen[key]},
                )
            )
        seen.setdefault(key, case.line)


def _already_listed(list_type: ListType, cases: list[ParsedCase]) -> set[tuple[str, str]]:
    persons = existing_persons({c.subject.id_hash for c in cases if isinstance(c.subject, PersonKey)})
    person_hash = {pk: h for h, pk in persons.items()}
    found = set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.decision_number, e.person_id, x.uscc FROM {ListEntry._meta.db_table} e "  # noqa: S608 - table names from model metadata; values are parameters
            f"LEFT JOIN {Enterprise._meta.db_table} x ON x.id = e.enterprise_id "
            "WHERE e.list_type_id = %s AND e.decision_number = ANY(%s)",
            [list_type.pk, list({c.case_number for c in cases})],
        )
        for case_number, person_id, uscc in cursor.fetchall():
            found.add((case_number, person_hash.get(person_id) if person_id else uscc))
    return found


def import_list(
    *,
    list_code: str,
    path: Path,
    actor: Actor = SYSTEM,
    workers: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ListImportReport:
    """Validate every row of ``path``, then write all of them or none.

    Only clerks of the list's owner (and superusers, jobs and commands) may import into it.
    ``workers`` processes build the rows of large files (default: up to two, one per core).
    ``dry_run`` writes and rolls back, so a preview counts exactly what a write would do.
    ``progress(done, total)`` is told after reading, checking and writing (three steps).
    """
    list_type = importable_list(list_code)
    require_may_maintain(actor, list_type=list_type)
    step = progress or (lambda done, total: None)
    if list_code not in SPECS:
        report = ListImportReport()
        report.created, report.unchanged, report.errors = import_agency_list(
            list_type=list_type, path=path, actor=actor, dry_run=dry_run, step=step
        )
        if report.errors:
            report.errors.sort(key=lambda error: error.line)
            raise ListImportError(report.errors)
        return report
    columns, required = SPECS[list_code]
    rows = read_rows(path, aliases(columns), required)
    step(1, 3)
    provinces = province_lookup()
    courts = court_code_lookup()
    report = ListImportReport()
    cases = []
    for row in rows:
        case = parse_case(row, list_code=list_code, provinces=provinces, courts=courts)
        report.errors.extend(row.errors)
        if case is not None:
            cases.append(case)
    _check(list_type, cases, report.errors)
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        raise ListImportError(report.errors)
    step(2, 3)
    with transaction.atomic():
        listed = _already_listed(list_type, cases)
        fresh = [case for case in cases if (case.case_number, _subject_identity(case)) not in listed]
        report.unchanged = len(cases) - len(fresh)
        if fresh:
            write_cases(list_type=list_type, cases=fresh, actor=actor, workers=workers)
        report.created = len(fresh)
        if dry_run:
            transaction.set_rollback(True)
    step(3, 3)
    return report
