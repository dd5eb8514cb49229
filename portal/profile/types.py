"""The shape of a public enterprise profile, shared by the HTML page and the PDF credit report.

``portal.profile.build`` turns the master database and the lists into these plain values once;
the page template and the PDF renderer only lay them out, so both always show the same record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One displayed value. ``withheld`` marks a field the company chose not to publish."""

    text: str = ""
    url: str = ""
    note: str = ""
    withheld: bool = False
    # Optional: several linked values in one cell (each a Cell with text and url); ``text`` then
    # holds the same names joined, for renderers that show plain text.
    links: tuple[Cell, ...] = ()
    # Optional: what a badge is about ("blacklist", "redlist", "watchlist", "abnormal"), for styling.
    kind: str = ""


@dataclass(frozen=True)
class Field:
    label: str
    value: Cell


@dataclass
class Section:
    """One section of the profile, in the public original's order.

    ``kind`` is ``"fields"`` (a label/value list, e.g. the business licence) or ``"table"``
    (``columns`` of (key, label) and ``rows`` mapping each key to a :class:`Cell`). ``source``
    names the publishing agency or agencies and ``as_of`` the date of the newest record.
    """

    key: str
    title: str
    kind: str = "table"
    source: str = ""
    as_of: dt.date | None = None
    fields: list[Field] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)
    rows: list[dict[str, Cell]] = field(default_factory=list)
    empty_text: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.rows

    @property
    def table(self) -> list[list[Cell]]:
        """The rows as lists of cells in column order (a missing cell is empty)."""
        return [[row.get(key, Cell()) for key, _label in self.columns] for row in self.rows]


@dataclass
class Profile:
    """The public record of one enterprise on one day."""

    uscc: str
    name: str
    status: str
    on: dt.date
    sections: list[Section] = field(default_factory=list)
    badges: list[Cell] = field(default_factory=list)
    # Optional: the measures in force (blacklists.restrictions.MeasureInForce) behind the
    # "measures" section, for renderers that show each chain of reasons in full.
    measures: list = field(default_factory=list)
    # Optional: section key -> the records a company may object to (portal.profile.build.ObjectionTarget),
    # one per table row, or labelled ones for the licence and each annual report. Shown only to the
    # enterprise's own users (templatetag ``objection_links``); other renderers ignore it.
    objection_targets: dict = field(default_factory=dict)

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)
