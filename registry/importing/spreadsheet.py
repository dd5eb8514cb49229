"""Read CSV (UTF-8) and XLSX files into header-mapped rows with their line numbers."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from core.privacy import prohibited_category


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header)."""


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class SourceRow:
    line: int
    values: dict[str, object]
    errors: list[RowError] = field(default_factory=list)


def header_key(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower().replace(" ", "_")


def _read_csv(path: Path) -> Iterator[list[object]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            yield from csv.reader(handle)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is not UTF-8 (byte %(pos)d). Save it as 'CSV UTF-8' and try again.")
            % {"pos": exc.start}
        ) from exc


def _read_xlsx(path: Path) -> Iterator[list[object]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError(
            _("The file could not be read as an .xlsx workbook: %(e)s") % {"e": exc}
        ) from exc
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [cell.date() if isinstance(cell, dt.datetime) else cell for cell in row]
    finally:
        workbook.close()


def read_rows(path: Path, aliases: dict[str, str], required: set[str]) -> list[SourceRow]:
    """Rows keyed by canonical column name. ``aliases`` maps every accepted heading to its name.

    Unknown, duplicated, missing or prohibited columns make the whole file unreadable,
    because silently dropping a column would lose data.
    """
    if not path.is_file():
        raise ImportFileError(_("No such file: %(name)s") % {"name": str(path)})
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw_rows = _read_csv(path)
    elif suffix == ".xlsx":
        raw_rows = _read_xlsx(path)
    else:
        raise ImportFileError(
            _("Only .csv and .xlsx files can be imported, not %(s)s.") % {"s": suffix or path.name}
        )

    iterator = iter(raw_rows)
    header = next(iterator, None)
    if not header or not any(header):
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    columns: list[str | None] = []
    problems: list[str] = []
    seen: set[str] = set()
    for heading in header:
        key = header_key(heading)
        if not key:
            columns.append(None)
            continue
        category = prohibited_category(key)
        if category:
            problems.append(
                _("column '%(h)s' is prohibited personal data (%(c)s) and is never imported")
                % {"h": heading, "c": category}
            )
            continue
        name = aliases.get(key)
        if name is None:
            problems.append(_("column '%(h)s' is not a known column") % {"h": heading})
        elif name in seen:
            problems.append(_("column '%(h)s' appears twice") % {"h": heading})
        else:
            seen.add(name)
        columns.append(name)
    missing = sorted(required - seen)
    if missing:
        problems.append(_("required columns missing: %(cols)s") % {"cols": ", ".join(missing)})
    if problems:
        raise ImportFileError("; ".join(problems))

    rows = []
    named = [(index, name) for index, name in enumerate(columns) if name is not None]
    width = len(columns)
    for line, raw in enumerate(iterator, start=2):
        cells = [cell.strip() if isinstance(cell, str) else cell for cell in raw]
        if all(cell is None or cell == "" for cell in cells):
            continue
        values = {name: cells[index] for index, name in named if index < len(cells)}
        row = SourceRow(line=line, values=values)
        if any(cell not in (None, "") for cell in cells[width:]):
            row.errors.append(RowError(line, "", _("this row has more cells than the header has columns")))
        rows.append(row)
    return rows
