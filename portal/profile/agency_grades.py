"""Grades agencies gave the enterprise (tax credit, Customs credit, ...), those in force on the day."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from blacklists.restrictions import local_name
from portal.profile.cells import agency_name, period, table, text
from portal.profile.types import Cell, Section
from registry.models import Enterprise
from scoring.models import AgencyGrade
from scoring.selectors.agency_grades import agency_grades_current


def agency_grades_section(enterprise: Enterprise, on: dt.date) -> Section:
    def row(grade: AgencyGrade) -> dict[str, Cell]:
        return {
            "scheme": text(local_name(grade.scheme)),
            "grade": text(local_name(grade.level)),
            "year": text(grade.year),
            "valid": text(period(grade.valid_from, grade.valid_until, open_text=_("until the next grade"))),
            "agency": text(agency_name(grade.issuing_agency)),
            "decision": text(grade.decision_number),
        }

    return table(
        "agency_grades",
        _("Agency grades"),
        list(agency_grades_current(enterprise_ids=[enterprise.pk], on=on)),
        [
            ("scheme", _("Grading")),
            ("grade", _("Grade")),
            ("year", _("Year graded")),
            ("valid", _("Valid")),
            ("agency", _("Graded by")),
            ("decision", _("Decision number")),
        ],
        row,
        empty_text=_("No agency has published a grade of the enterprise in force."),
        agencies=lambda grade: [grade.issuing_agency],
        day=lambda grade: [grade.valid_from],
    )
