"""The CSV download of the rows behind the government-defaulters dashboard.

Days are counted as in ``government.selectors.dashboard`` (from the listed date to the cleared
date, or to today while open). The rows are read in keyset pages of ``CSV_CHUNK``: each page
continues the index from the last row of the one before, so no cursor is held open while the
response streams, and no page costs more than the first.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from government.models import DishonestyRecord
from government.selectors.dashboard import DashboardFilters, RowPosition, government_defaulter_rows
from registry.models import Enterprise

CSV_CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def dashboard_csv_lines(*, filters: DashboardFilters, on: dt.date, province_names: dict[str, str]):
    """``dashboard_csv_rows`` as lines of CSV text, the first with a byte-order mark for spreadsheets."""
    writer = csv.writer(_Echo())
    for number, row in enumerate(dashboard_csv_rows(filters=filters, on=on, province_names=province_names)):
        yield ("\ufeff" if number == 0 else "") + writer.writerow(row)


def dashboard_csv_rows(*, filters: DashboardFilters, on: dt.date, province_names: dict[str, str]):
    """The header and every row behind the dashboard as lists of text, in the active language.

    Codes are written as names (never an internal code), dates as ISO 8601, amounts in yuan with
    two decimals; rows are read from the database in keyset pages."""
    zh = (get_language() or "zh").startswith("zh")
    labels = {
        name: {key: str(label) for key, label in choices}
        for name, choices in (
            ("level", Enterprise.Level.choices),
            ("kind", Enterprise.EntityType.choices),
            ("record", DishonestyRecord.Kind.choices),
            ("cleared", DishonestyRecord.ClearedHow.choices),
        )
    }
    yield [
        _("Body"), _("USCC"), _("Province"), _("Level of government"), _("Kind of body"), _("Record"),
        _("Recorded by"), _("Case number"), _("Document number"), _("Listed on"), _("Amount (yuan)"),
        _("Days outstanding"), _("Cleared on"), _("Cleared how"),
    ]  # fmt: skip
    for record in _all_rows(filters=filters, on=on):
        body, agency = record.subject, record.recording_agency
        yield [
            body.name,
            body.uscc,
            province_names.get(record.province_code, ""),
            labels["level"].get(body.level, ""),
            labels["kind"].get(body.entity_type, ""),
            labels["record"].get(record.kind, ""),
            agency.name_zh if zh else agency.name_en,
            record.case_number,
            record.document_number,
            record.listed_on.isoformat(),
            f"{record.amount:.2f}" if record.amount is not None else "",
            str(record.days_outstanding),
            record.cleared_on.isoformat() if record.cleared_on else "",
            labels["cleared"].get(record.cleared_how, ""),
        ]


def _all_rows(*, filters: DashboardFilters, on: dt.date):
    after = None
    while True:
        chunk = list(government_defaulter_rows(filters=filters, on=on, after=after)[:CSV_CHUNK])
        yield from chunk
        if len(chunk) < CSV_CHUNK:
            return
        after = RowPosition(chunk[-1].listed_on, chunk[-1].pk)
