"""Credit commitments the enterprise made and the awards and honours it received."""

from __future__ import annotations

from django.utils.translation import gettext as _

from filings.models import CreditCommitment
from portal.profile.cells import agency_name, day_cell, format_date, table, text
from portal.profile.types import Cell, Section
from registry.models import Enterprise


def commitments_section(enterprise: Enterprise) -> Section:
    def row(commitment: CreditCommitment) -> dict[str, Cell]:
        if commitment.is_broken:
            state = Cell(
                text=_("Found broken on %(date)s by %(agency)s")
                % {"date": format_date(commitment.broken_on), "agency": agency_name(commitment.broken_by)},
                note=commitment.broken_note,
                kind="broken",
            )
        else:
            state = Cell(text=_("No breach recorded"))
        return {
            "title": Cell(text=commitment.title, note=commitment.text),
            "kind": text(commitment.get_kind_display()),
            "signed": day_cell(commitment.signed_on),
            "signer": text(commitment.signer_name),
            "agency": text(agency_name(commitment.source_agency)),
            "state": state,
        }

    return table(
        "commitments",
        _("Credit commitments"),
        list(enterprise.credit_commitments.all()),
        [
            ("title", _("Commitment")),
            ("kind", _("Kind")),
            ("signed", _("Signed on")),
            ("signer", _("Signed by")),
            ("agency", _("Made to")),
            ("state", _("Kept")),
        ],
        row,
        empty_text=_("No credit commitments have been published."),
        agencies=lambda r: [r.source_agency, r.broken_by],
        day=lambda r: [r.signed_on, r.broken_on],
    )


def awards_section(enterprise: Enterprise) -> Section:
    return table(
        "awards",
        _("Awards and honours"),
        list(enterprise.awards.all()),
        [
            ("title", _("Award or honour")),
            ("agency", _("Awarded by")),
            ("awarded", _("Awarded on")),
            ("valid_to", _("Valid to")),
        ],
        lambda award: {
            "title": text(award.title),
            "agency": text(agency_name(award.awarding_agency)),
            "awarded": day_cell(award.awarded_on),
            "valid_to": day_cell(award.valid_to),
        },
        empty_text=_("No awards or honours have been published."),
        agencies=lambda r: [r.awarding_agency],
        day=lambda r: [r.awarded_on],
    )
