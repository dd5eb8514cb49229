"""Reads about what a company files: which annual reports are overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from filings.models.annual_reports import FILING_YEAR_MIN, filing_window
from registry.models import AnnualReport, Enterprise

# Annual reports replaced the annual inspection with the report for 2013, filed in 2014 (Interim
# Regulations on Enterprise Information Publicity, 企业信息公示暂行条例): no report is owed for earlier years.
FIRST_REPORT_YEAR = 2013


@dataclass(frozen=True)
class OverdueReport:
    """An annual report whose filing window closed with no report published."""

    year: int
    due_by: dt.date  # the window's last day, 30 June of the next year
    days_overdue: int


def overdue_annual_reports(*, enterprise: Enterprise, on: dt.date) -> list[OverdueReport]:
    """Every year, oldest first, whose report ``enterprise`` owed by ``on`` and has not published.

    The same enterprises owe reports as ``late_filers`` lists: those in operation, for each year
    from the one they were established in (and from :data:`FIRST_REPORT_YEAR`). One query.
    """
    if enterprise.status != Enterprise.Status.IN_OPERATION or enterprise.established is None:
        return []
    first = max(enterprise.established.year, FILING_YEAR_MIN, FIRST_REPORT_YEAR)
    owed = [year for year in range(first, on.year) if filing_window(year)[1] < on]
    if not owed:
        return []
    published = set(
        AnnualReport.objects.filter(enterprise=enterprise, year__in=owed).values_list("year", flat=True)
    )
    overdue = []
    for year in owed:
        if year in published:
            continue
        due_by = filing_window(year)[1]
        overdue.append(OverdueReport(year=year, due_by=due_by, days_overdue=(on - due_by).days))
    return overdue
