"""The sections of a government body's profile: the body itself and its government-integrity record.

A public body files no annual report and has no shareholders, so those sections are left out
(``NOT_FOR_PUBLIC_BODIES``); in their place come the body's level, parent body and principal, its
dishonesty records with their consequences, its assessment scores and its public feedback counts.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from government.models import FeedbackStatistic
from government.selectors import bodies, public
from portal.profile.cells import agency_name, day_cell, enterprise_url, format_date, money_cell, table, text
from portal.profile.types import Cell, Field, Section
from registry.models import Enterprise

NOT_FOR_PUBLIC_BODIES = frozenset(
    {
        "shareholders",
        "branches",
        "annual_reports",
        "instant_disclosures",
        "abnormal_listings",
        "serious_illegal",
    }
)
SUBORDINATES_SHOWN = 20


def body_section(body: Enterprise) -> Section:
    parent, principal = body.parent_body, body.principal
    subordinates = list(bodies.subordinate_bodies(body=body)[:SUBORDINATES_SHOWN])
    links = tuple(Cell(text=sub.name, url=enterprise_url(sub.uscc)) for sub in subordinates)
    values = [
        (_("Kind of body"), text(body.get_entity_type_display())),
        (_("Level of government"), text(body.get_level_display())),
        (_("Parent body"), Cell(text=parent.name, url=enterprise_url(parent.uscc)) if parent else Cell()),
        (_("Principal (head of the body)"), text(principal.name if principal else "")),
        (_("Subordinate bodies"), Cell(text="; ".join(link.text for link in links), links=links)),
    ]
    fields = [Field(label, value) for label, value in values if value.text]
    return Section(key="government_body", title=_("Government body"), kind="fields", fields=fields)


def _record_row(record) -> dict[str, Cell]:
    creditor = record.creditor
    cleared = f"{format_date(record.cleared_on)} ({record.get_cleared_how_display()})"
    return {
        "kind": Cell(text=record.get_kind_display(), note=record.facts),
        "agency": text(agency_name(record.recording_agency)),
        "number": Cell(text=record.document_number, note=record.case_number),
        "listed": day_cell(record.listed_on),
        "amount": Cell(
            text=money_cell(record.amount).text,
            note=_("owed to %(name)s") % {"name": creditor.name} if creditor else "",
            url=enterprise_url(creditor.uscc) if creditor else "",
        ),
        "consequences": Cell(
            text="; ".join(public.record_consequences(record, format_date=format_date)),
            note=record.explanation_text,
        ),
        "cleared": text(cleared if record.cleared_on else _("open")),
    }


def records_section(body: Enterprise) -> Section:
    columns = [("kind", _("Record")), ("agency", _("Recorded by")), ("number", _("Document number"))]
    columns += [("listed", _("Listed on")), ("amount", _("Amount")), ("consequences", _("Consequences"))]
    return table(
        "government_records",
        _("Government dishonesty records"),
        list(bodies.body_dishonesty_records(body=body)),
        [*columns, ("cleared", _("Cleared"))],
        _record_row,
        empty_text=_("No agency has recorded an act of government dishonesty against this body."),
        agencies=lambda r: [r.recording_agency],
        day=lambda r: [r.listed_on, r.cleared_on],
    )


def assessments_section(body: Enterprise, *, chinese: bool) -> Section:
    metrics = public.metric_labels()

    def row(score) -> dict[str, Cell]:
        url = reverse("portal:assessment-round", kwargs={"pk": score.round.pk})
        name = score.round.name_zh if chinese else score.round.name_en
        cells = {"round": Cell(text=name, url=url, note=score.round.get_kind_display())}
        cells |= {metric: text(getattr(score, metric)) for metric, _label in metrics}
        return cells | {"assessor": text(score.round.assessor.name), "overall": text(score.overall)}

    return table(
        "government_assessments",
        _("Government integrity assessments"),
        list(bodies.body_assessment_scores(body=body)),
        [("round", _("Assessment")), ("assessor", _("Assessor")), *metrics, ("overall", _("Overall"))],
        row,
        empty_text=_("The body has not been assessed yet."),
        agencies=lambda r: [],
        day=lambda r: [r.round.published_on],
        note=_("Every measure is scored from 0 to 100; the overall score is their unweighted mean."),
    )


def feedback_section(body: Enterprise, on: dt.date) -> Section:
    months = public.body_feedback(body=body, on=on)
    used = [
        (key, label)
        for key, label in FeedbackStatistic.Channel.choices
        if any(key in m.counts for m in months)
    ]
    return table(
        "government_feedback",
        _("Public feedback received"),
        months,
        [("month", _("Month")), *used, ("total", _("Total"))],
        lambda month: (
            {"month": text(month.month.strftime("%Y-%m")), "total": text(month.total)}
            | {key: text(month.counts.get(key, 0)) for key, _label in used}
        ),
        empty_text=_("No public feedback has been counted for this body in the last twelve months."),
        agencies=lambda r: [],
        day=lambda r: [],
        note=_("Counts per month and channel only; no individual complaint is published."),
    )
