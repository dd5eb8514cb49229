"""What the restriction check answers: measures in force, each with the chains of reasons behind it.

The engine that builds these is ``blacklists.selectors.restrictions_in_force``; pages and the API
render the same objects, so a reason reads the same wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blacklists.models import (
    BINDING_LABELS,
    PRINCIPAL_ROLE,
    ListEntry,
    ListFeed,
    ListType,
    Measure,
    Memorandum,
)
from registry.models import Agency, Enterprise, Person


def chinese() -> bool:
    return (get_language() or "zh").startswith("zh")


def local_name(obj: Agency | ListType, zh: bool | None = None) -> str:
    """The name in the reader's language: Chinese names for Chinese pages, English otherwise."""
    return obj.name_zh if (chinese() if zh is None else zh) else obj.name_en


def local_title(memorandum: Memorandum, zh: bool | None = None) -> str:
    return memorandum.title_zh if (chinese() if zh is None else zh) else memorandum.title_en


def _day(day: dt.date | None) -> str:
    # ISO dates read the same in both languages and cost nothing to format.
    return day.isoformat() if day else _("no fixed end")


# How a listed organisation reaches a person (``Link.kind``).
POST = "post"  # the person holds a post in the organisation on the date asked about
NAMED_IN_ORDER = "named_in_order"  # the court's consumption-restriction order names the person


@dataclass(frozen=True)
class Link:
    """How a listed organisation reaches a person: a post held there, or the order naming them.

    A person named in a court's consumption-restriction order against the organisation is bound as
    its legal representative (person in charge) for as long as the order is in force, whether or
    not the register shows them in a post; ``role`` is then empty (no post in the register)."""

    enterprise: Enterprise
    role: str  # a registry.KeyPersonnel role code; "" when named in the order
    group: str  # the memorandum's name for the post (see blacklists.models.ROLE_GROUPS)
    since: dt.date | None = None
    until: dt.date | None = None  # the last day in the post
    kind: str = POST

    @property
    def named(self) -> bool:
        return self.kind == NAMED_IN_ORDER

    @property
    def group_label(self) -> str:
        if self.role == PRINCIPAL_ROLE:
            return str(_("principal (person in charge)"))
        return str(BINDING_LABELS[self.group])


@dataclass(frozen=True)
class Reason:
    """measure <- memorandum <- trigger list <- (feeds) <- list entry [<- post in the organisation]."""

    entry: ListEntry
    feeds: tuple[ListFeed, ...]  # from the entry's list to the trigger list; empty when direct
    trigger: ListType
    memorandum: Memorandum
    measure: Measure
    link: Link | None
    since: dt.date
    until: dt.date | None

    @property
    def lists(self) -> list[ListType]:
        """Every list on the path, the entry's own first and the trigger list last."""
        return [self.entry.list_type, *(feed.target for feed in self.feeds)]

    @property
    def chain_key(self) -> tuple:
        """What reasons of several measures share when the same listing triggers them all: the
        entry, the feeds walked, the memorandum and how the subject is reached."""
        link = self.link
        return (
            self.entry.pk,
            tuple(feed.pk for feed in self.feeds),
            self.memorandum.pk,
            (link.enterprise.pk, link.group, link.kind) if link else None,
        )

    @property
    def text(self) -> str:
        """The chain in one plain sentence in the active language."""
        return self.describe()

    def describe(self, *, day: Callable[[dt.date | None], str] = _day, one_measure: bool = True) -> str:
        """The chain as a sentence, its dates written by ``day`` (given None for an open end).

        ``one_measure``: end with the agency applying this reason's measure; otherwise with the
        memorandum applying the measures listed with the chain (one sentence for many measures)."""
        entry, zh = self.entry, chinese()
        listing = _(
            "listed on %(list)s by %(agency)s under %(number)s (decided %(decided)s, in force from %(start)s "
            "until %(end)s)"
        ) % {
            "list": local_name(entry.list_type, zh),
            "agency": local_name(entry.issuing_agency, zh),
            "number": entry.decision_number,
            "decided": day(entry.decision_date),
            "start": day(entry.starts_on),
            "end": day(entry.planned_end),
        }
        if self.link and self.link.named:
            who = _(
                "Named in the consumption-restriction order against %(enterprise)s (%(uscc)s), so bound "
                "as its %(post)s; the organisation is %(listing)s"
            ) % {
                "post": self.link.group_label,
                "enterprise": self.link.enterprise.name,
                "uscc": self.link.enterprise.uscc,
                "listing": listing,
            }
        elif self.link:
            who = _("As %(post)s of %(enterprise)s (%(uscc)s), which is %(listing)s") % {
                "post": self.link.group_label,
                "enterprise": self.link.enterprise.name,
                "uscc": self.link.enterprise.uscc,
                "listing": listing,
            }
        else:
            who = _("The subject is %(listing)s") % {"listing": listing}
        parts = [who]
        for feed in self.feeds:
            parts.append(
                _("being on %(source)s implies being on %(target)s")
                % {"source": local_name(feed.source, zh), "target": local_name(feed.target, zh)}
            )
        names = {
            "memorandum": local_title(self.memorandum, zh),
            "number": self.memorandum.document_number,
            "list": local_name(self.trigger, zh),
        }
        if one_measure:
            parts.append(
                _("%(memorandum)s (%(number)s) has %(agency)s apply this measure to those on %(list)s")
                % {**names, "agency": local_name(self.measure.enforcing_agency, zh)}
            )
        else:
            parts.append(
                _("%(memorandum)s (%(number)s) applies the measures below to those on %(list)s") % names
            )
        return "; ".join(parts) + "."


@dataclass
class MeasureInForce:
    measure: Measure
    reasons: list[Reason] = field(default_factory=list)

    @property
    def since(self) -> dt.date:
        return min(reason.since for reason in self.reasons)

    @property
    def until(self) -> dt.date | None:
        ends = [reason.until for reason in self.reasons]
        return None if None in ends else max(ends)

    @property
    def description(self) -> str:
        measure = self.measure
        return measure.description_zh if chinese() else measure.description_en


@dataclass
class RestrictionAnswer:
    person: Person | None
    enterprise: Enterprise | None
    on: dt.date
    measures: list[MeasureInForce]

    @property
    def restricted(self) -> bool:
        return any(item.measure.kind == Measure.Kind.PUNISHMENT for item in self.measures)

    @property
    def punishments(self) -> list[MeasureInForce]:
        return [item for item in self.measures if item.measure.kind == Measure.Kind.PUNISHMENT]

    @property
    def rewards(self) -> list[MeasureInForce]:
        return [item for item in self.measures if item.measure.kind == Measure.Kind.REWARD]

    def from_entry(self, entry: ListEntry, *, named_only: bool = False) -> list[MeasureInForce]:
        """Only what this one entry triggers, directly or through feeds (the entry page's section).

        ``named_only``: only what its restriction order binds on the person it names."""
        kept = []
        for item in self.measures:
            reasons = [
                reason
                for reason in item.reasons
                if reason.entry.pk == entry.pk and (not named_only or (reason.link and reason.link.named))
            ]
            if reasons:
                kept.append(MeasureInForce(item.measure, reasons))
        return kept
