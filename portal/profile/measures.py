"""Measures in force grouped by the chain of reasons behind them.

One listing usually triggers a whole memorandum: eleven measures of eleven agencies, all for the
same reason. Each group is one chain (list entry -> feeds -> trigger list -> memorandum, and the
post or order through which a person is reached) with its "why" written once and the measures it
triggers listed under it. A measure that two listings trigger appears under both.

The profile page, the measures page, the entry pages, the company's own page and the PDF credit
report all show these groups; grouping runs no query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from blacklists.models import Measure
from blacklists.restrictions import MeasureInForce, Reason, local_name, local_title
from portal.profile.cells import (
    entry_url,
    format_date,
    list_name,
    list_page_url,
    period,
    table,
    text,
)
from portal.profile.types import Cell, Section


def _day(day: dt.date | None) -> str:
    return format_date(day) if day else _("no fixed end")


@dataclass(frozen=True)
class GroupedMeasure:
    """One measure under a chain: what it is and who enforces it."""

    measure: Measure
    description: str
    agency: str

    @property
    def kind(self) -> str:
        return self.measure.kind

    @property
    def kind_label(self) -> str:
        return _("Punishment") if self.measure.kind == Measure.Kind.PUNISHMENT else _("Reward")

    @property
    def line(self) -> str:
        """The measure in one line, for renderers of plain text (the PDF)."""
        return _("%(measure)s (%(kind)s, enforced by %(agency)s)") % {
            "measure": self.description,
            "kind": self.kind_label.lower(),
            "agency": self.agency,
        }


@dataclass
class MeasureGroup:
    """The measures one chain of reasons triggers, with that chain once."""

    reason: Reason
    why: str
    entry_url: str
    decision_number: str
    lists: list[Cell]  # the entry's own list first, then the lists it feeds into; url "" when unlinked
    memorandum: Cell
    memorandum_number: str
    since: dt.date
    until: dt.date | None
    measures: list[GroupedMeasure] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period(self.since, self.until)

    @property
    def is_punishment(self) -> bool:
        return any(item.kind == Measure.Kind.PUNISHMENT for item in self.measures)


def _group(reason: Reason) -> MeasureGroup:
    entry = reason.entry
    return MeasureGroup(
        reason=reason,
        why=reason.describe(day=_day, one_measure=False),
        entry_url=entry_url(entry),
        decision_number=entry.decision_number,
        lists=[
            Cell(text=list_name(list_type), url=list_page_url(list_type) or "", kind=list_type.kind)
            for list_type in reason.lists
        ],
        memorandum=Cell(
            text=local_title(reason.memorandum),
            url=reverse("portal:memorandum-detail", kwargs={"pk": reason.memorandum.pk}),
        ),
        memorandum_number=reason.memorandum.document_number,
        since=reason.since,
        until=reason.until,
    )


def measure_groups(measures: list[MeasureInForce]) -> list[MeasureGroup]:
    """The measures grouped by chain of reasons, groups in the order of their first measure
    (punishments first, as the engine orders them)."""
    groups: dict[tuple, MeasureGroup] = {}
    for item in measures:
        measure = item.measure
        grouped = GroupedMeasure(
            measure=measure,
            description=item.description,
            agency=local_name(measure.enforcing_agency),
        )
        for reason in item.reasons:
            group = groups.get(reason.chain_key)
            if group is None:
                group = groups[reason.chain_key] = _group(reason)
            if all(existing.measure.pk != measure.pk for existing in group.measures):
                group.measures.append(grouped)
    return list(groups.values())


def measures_section(measures: list[MeasureInForce]) -> Section:
    """The measures in force as a table of chains: why once, then every measure it triggers."""

    def row(group: MeasureGroup) -> dict[str, Cell]:
        return {
            "reason": Cell(text=group.why, url=group.entry_url),
            "measures": Cell(
                text="\n".join(item.line for item in group.measures),
                links=tuple(Cell(text=item.line) for item in group.measures),
            ),
            "period": text(group.period),
        }

    return table(
        "measures",
        _("Measures in force"),
        measure_groups(measures),
        [
            ("reason", _("Why")),
            ("measures", _("Measures")),
            ("period", _("In force")),
        ],
        row,
        empty_text=_("No joint rewards or punishments are in force."),
        # The agencies whose listings trigger the measures (each measure names its enforcing agency).
        agencies=lambda group: [group.reason.entry.issuing_agency],
        day=lambda group: [group.since],
    )
