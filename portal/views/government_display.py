"""The government-defaulters dashboard's tables, formatted once per view for the template.

The page shows about 500 table cells. Formatting them in the template (a filter, a choice label, a
``{% url %}`` and a translation per cell) cost more than reading the stored figures and the rows
together, so the view formats them here, each label and each URL prefix looked up once per view,
and the template only writes strings out.
"""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats

from blacklists.restrictions import chinese
from government.models import DishonestyRecord
from government.selectors.dashboard_figures import Figures
from portal.templatetags.credit_format import money
from registry.models import Enterprise

_PLACEHOLDER = "USCC-PLACEHOLDER"


def _counter():
    """A count with the active language's thousands separator (as the ``grouped`` filter writes it)."""
    separator = formats.get_format("THOUSAND_SEPARATOR")
    return lambda value: f"{value:,}".replace(",", separator)


def _days(median: float | None) -> str:
    return "—" if median is None else floatformat(median, "-1")


def figures_cells(figures: Figures, count=None) -> list[str]:
    """One group's figures as the six cells of the tables: records, open, bodies with open records,
    amount open, cleared, median days to clear ("—" when nothing was cleared)."""
    count = count or _counter()
    median = figures.median_days_to_clear
    return [
        count(figures.records),
        count(figures.open),
        count(figures.open_bodies),
        money(figures.open_amount),
        count(figures.cleared),
        _days(median),
    ]


def grouping_tables(groupings: list[tuple[str, list[tuple[str, Figures]]]]) -> list[tuple[str, list]]:
    """``DashboardFigures.groupings`` with each group's figures as cells."""
    count = _counter()
    return [
        (heading, [(label, figures_cells(figures, count)) for label, figures in groups])
        for heading, groups in groupings
    ]


def year_rows(years) -> list[tuple[int, list[str]]]:
    count = _counter()
    return [
        (
            year.year,
            [*map(count, (year.listed, year.cleared, year.open_at_end)), _days(year.median_days_to_clear)],
        )
        for year in years
    ]


def row_texts(rows: list[DishonestyRecord], provinces: dict[str, str]) -> list[dict[str, str]]:
    """Each row's cells as text; ``cleared_on`` is empty while the record is open."""
    zh, count = chinese(), _counter()
    levels = {key: str(label) for key, label in Enterprise.Level.choices}
    kinds = {key: str(label) for key, label in DishonestyRecord.Kind.choices}
    how = {key: str(label) for key, label in DishonestyRecord.ClearedHow.choices}
    profile = reverse("portal:enterprise", args=[_PLACEHOLDER])
    measures = reverse("portal:enterprise-measures", args=[_PLACEHOLDER])
    found = []
    for row in rows:
        body, agency = row.subject, row.recording_agency
        found.append(
            dict(
                body=body.name,
                profile_url=profile.replace(_PLACEHOLDER, body.uscc),
                measures_url=measures.replace(_PLACEHOLDER, body.uscc),
                province=provinces.get(row.province_code, ""),
                level=levels.get(body.level, "") or "—",
                record=kinds.get(row.kind, ""),
                recorded_by=agency.name_zh if zh else agency.name_en,
                case_number=row.case_number or row.document_number,
                listed_on=formats.date_format(row.listed_on, "DATE_FORMAT"),
                amount=money(row.amount) if row.amount is not None else "—",
                days_outstanding=count(row.days_outstanding),
                cleared_on=formats.date_format(row.cleared_on, "DATE_FORMAT") if row.cleared_on else "",
                cleared_how=how.get(row.cleared_how, ""),
            )
        )
    return found
