"""Credit repair (信用修复): who may apply, from when, with which documents."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListType
from blacklists.selectors.entries import COURT_LIST_CODES
from casework.models import RepairApplication
from registry.models import AdministrativePenalty, Document, Enterprise

# Every repair application carries these; a training certificate too where the list requires it.
REPAIR_BASE_DOCUMENTS = (
    Document.Kind.REPAIR_APPLICATION,
    Document.Kind.REPAIR_COMMITMENT,
    Document.Kind.PROOF_OF_PERFORMANCE,
    Document.Kind.AUTHORISATION,
)
# Minimum publication of a penalty before repair (NDRC Order No. 58 of 2023, 失信行为纠正后的信用信息
# 修复管理办法（试行）): general penalties 3 months, serious ones 1 year from the decision. A penalty
# counts as serious here when its fine reaches RMB 100,000 or it confiscates illegal gains.
SERIOUS_PENALTY_FINE = Decimal("100000")
GENERAL_PENALTY_MONTHS = 3
SERIOUS_PENALTY_MONTHS = 12


@dataclass(frozen=True)
class Eligibility:
    """Whether a record may be repaired on a day, from when, why not, and with which documents."""

    eligible: bool
    eligible_from: dt.date | None  # None: never by application
    reasons: list[str]
    required_documents: list[str]
    repairable: bool = True  # False: no application can ever succeed (say why in ``reasons``)

    @property
    def required_document_labels(self) -> list[str]:
        return [str(Document.Kind(kind).label) for kind in self.required_documents]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def penalty_is_serious(penalty: AdministrativePenalty) -> bool:
    return penalty.fine_amount >= SERIOUS_PENALTY_FINE or penalty.confiscated_amount > 0


def penalty_repair_from(penalty: AdministrativePenalty) -> dt.date:
    months = SERIOUS_PENALTY_MONTHS if penalty_is_serious(penalty) else GENERAL_PENALTY_MONTHS
    return add_months(penalty.decided_on, months)


def _required_for_entry(entry: ListEntry) -> list[str]:
    kinds = list(REPAIR_BASE_DOCUMENTS)
    if entry.list_type.repair_requires_training:
        kinds.append(Document.Kind.TRAINING_CERTIFICATE)
    return kinds


def _not_repairable(reason: str, required: list[str]) -> Eligibility:
    return Eligibility(False, None, [reason], required, repairable=False)


def _entry_eligibility(entry: ListEntry, *, on: dt.date, pending: bool) -> Eligibility:
    required = _required_for_entry(entry)
    if entry.list_type.code in COURT_LIST_CODES:
        return _not_repairable(
            _(
                "Court lists are not repaired by application: the court removes the entry as soon as "
                "the judgment is performed. Perform the obligation and tell the court."
            ),
            required,
        )
    if entry.person_id or entry.enterprise_id is None:
        return _not_repairable(_("Only an enterprise's own listing can be repaired here."), required)
    if entry.list_type.kind == ListType.Kind.REDLIST:
        return _not_repairable(_("A redlist entry needs no repair."), required)
    if entry.permanent or entry.severity == ListEntry.Severity.EXTREMELY_SERIOUS:
        return _not_repairable(
            _("An extremely serious or permanent listing cannot be repaired by application."), required
        )
    if entry.effective_status(on) != ListEntry.Status.IN_FORCE:
        return _not_repairable(
            _("The entry is no longer in force (%(status)s).")
            % {"status": entry.get_effective_status_display()},
            required,
        )
    eligible_from = entry.starts_on
    if entry.list_type.min_period_days:
        eligible_from = entry.starts_on + dt.timedelta(days=entry.list_type.min_period_days)
    reasons = []
    if on < eligible_from:
        reasons.append(
            _(
                "The minimum listing period of %(days)d days from %(start)s has not passed: "
                "you can apply from %(date)s."
            )
            % {
                "days": entry.list_type.min_period_days,
                "start": date_format(entry.starts_on, "DATE_FORMAT"),
                "date": date_format(eligible_from, "DATE_FORMAT"),
            }
        )
    if pending:
        reasons.append(_("An application for this record is already pending."))
    return Eligibility(not reasons, eligible_from, reasons, required)


def _penalty_eligibility(penalty: AdministrativePenalty, *, on: dt.date, pending: bool) -> Eligibility:
    required = list(REPAIR_BASE_DOCUMENTS)
    if penalty.publication_ends_on is not None and penalty.publication_ends_on <= on:
        return _not_repairable(
            _("The penalty's publication ended on %(date)s.")
            % {"date": date_format(penalty.publication_ends_on, "DATE_FORMAT")},
            required,
        )
    eligible_from = penalty_repair_from(penalty)
    reasons = []
    if on < eligible_from:
        if penalty_is_serious(penalty):
            text = _(
                "A serious penalty (fine of RMB 100,000 or more, or confiscation) is published for at "
                "least one year: you can apply from %(date)s."
            )
        else:
            text = _("A penalty is published for at least three months: you can apply from %(date)s.")
        reasons.append(text % {"date": date_format(eligible_from, "DATE_FORMAT")})
    if pending:
        reasons.append(_("An application for this record is already pending."))
    return Eligibility(not reasons, eligible_from, reasons, required)


def repair_eligibility(
    *,
    list_entry: ListEntry | None = None,
    penalty: AdministrativePenalty | None = None,
    on: dt.date | None = None,
) -> Eligibility:
    """May the subject apply for credit repair of this entry or penalty on ``on``, and with what?"""
    if (list_entry is None) == (penalty is None):
        raise ValueError("pass exactly one of list_entry and penalty")
    on = on or timezone.localdate()
    pending = RepairApplication.objects.pending()
    if list_entry is not None:
        return _entry_eligibility(list_entry, on=on, pending=pending.filter(list_entry=list_entry).exists())
    return _penalty_eligibility(penalty, on=on, pending=pending.filter(penalty=penalty).exists())


@dataclass(frozen=True)
class RepairTarget:
    kind: str  # "entry" or "penalty"
    record: ListEntry | AdministrativePenalty
    eligibility: Eligibility


def repair_targets_for_enterprise(*, enterprise: Enterprise, on: dt.date | None = None) -> list[RepairTarget]:
    """The enterprise's entries in force and its published penalties, each with its eligibility.

    Four queries whatever their number."""
    on = on or timezone.localdate()
    entries = list(
        ListEntry.objects.in_force(on=on)
        .filter(enterprise=enterprise)
        .select_related("list_type", "issuing_agency")
        .order_by("starts_on", "pk")
    )
    penalties = list(
        AdministrativePenalty.objects.filter(enterprise=enterprise)
        .filter(Q(publication_ends_on__isnull=True) | Q(publication_ends_on__gt=on))
        .select_related("deciding_agency")
        .order_by("decided_on", "pk")
    )
    pending = RepairApplication.objects.pending().filter(enterprise=enterprise)
    pending_entries, pending_penalties = set(), set()
    for entry_id, penalty_id in pending.values_list("list_entry_id", "penalty_id"):
        (pending_entries if entry_id else pending_penalties).add(entry_id or penalty_id)
    targets = [
        RepairTarget("entry", entry, _entry_eligibility(entry, on=on, pending=entry.pk in pending_entries))
        for entry in entries
    ]
    targets += [
        RepairTarget(
            "penalty", penalty, _penalty_eligibility(penalty, on=on, pending=penalty.pk in pending_penalties)
        )
        for penalty in penalties
    ]
    return targets


def repair_applications_for_enterprise(*, enterprise: Enterprise) -> QuerySet[RepairApplication]:
    return (
        RepairApplication.objects.filter(enterprise=enterprise)
        .select_related("list_entry", "list_entry__list_type", "penalty", "agency")
        .prefetch_related("documents")
        .order_by("-submitted_at", "-id")
    )
