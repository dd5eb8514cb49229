"""What a company files: annual reports, tax records, social-insurance contributions."""

from __future__ import annotations

import datetime as dt

from registry.models.records import ANNUAL_REPORT_WITHHOLDABLE

from . import texts
from .context import AS_OF, Weighted
from .rows import NULL, day, line, money

LAST_REPORT_YEAR = AS_OF.year - 1  # reports for a year are due by 30 June of the next
FINANCIAL_FIELDS = ANNUAL_REPORT_WITHHOLDABLE[:8]
TAX_GRADES = Weighted((("A", 20), ("B", 50), ("M", 20), ("C", 7), ("D", 3)))
OPERATING = Weighted((("operating", 95), ("suspended", 3), ("closed", 1), ("liquidating", 1)))
# Employer's share of each scheme, as a fraction of the contribution base (per mille).
SCHEMES = (
    ("pension", 160),
    ("medical", 80),
    ("unemployment", 5),
    ("work_injury", 4),
    ("maternity", 8),
    ("provident_fund", 100),
)
YEAR_START = {year: dt.date(year, 1, 1).toordinal() for year in range(1980, 2080)}


def year_of(ordinal: int) -> int:
    return dt.date.fromordinal(ordinal).year


def employees_for(firm, rng) -> int:
    if firm.kind == "individual_business":
        return rng.randrange(1, 6)
    return max(1, int(firm.capital**0.5 / 30 * rng.uniform(0.3, 1.7)))


def add_filings(ctx, rng, firm, out) -> set[int]:
    """Append filings for ``firm``; returns the report years filed (abnormal listings avoid them)."""
    years: set[int] = set()
    first_year = max(year_of(firm.established), 2019)
    head = (str(firm.id), str(firm.agency), ctx.stamp, ctx.stamp)
    employees = employees_for(firm, rng)
    if first_year <= LAST_REPORT_YEAR and rng.random() < 0.3:
        count = rng.randrange(1, 4)
        years = set(range(max(first_year, LAST_REPORT_YEAR - count + 1), LAST_REPORT_YEAR + 1))
        for year in sorted(years):
            out["annualreport"].append(_annual_report(ctx, rng, firm, head, year, employees))
    if rng.random() < 0.25:
        _tax(ctx, rng, firm, out, employees)
    if firm.kind != "individual_business" and rng.random() < 0.08:
        _contributions(ctx, rng, firm, out, employees)
    return years


def _annual_report(ctx, rng, firm, head, year, employees) -> str:
    submitted = YEAR_START[year + 1] + rng.randrange(0, 180)
    submitted_at = f"{day(submitted)} {rng.randrange(8, 22):02d}:{rng.randrange(60):02d}:00+08"
    revenue = employees * rng.randrange(200_000, 800_000) * 100
    assets = max(revenue // 2, firm.capital * 100) * rng.randrange(5, 30) // 10
    liabilities = assets * rng.randrange(5, 90) // 100
    profit = revenue * rng.randrange(-10, 16) // 100
    withheld = []
    roll = rng.random()
    if roll < 0.55:
        withheld = list(FINANCIAL_FIELDS)
    elif roll < 0.7:
        withheld = sorted(rng.sample(ANNUAL_REPORT_WITHHOLDABLE, rng.randrange(1, 5)))
    return line(
        (
            *head,
            str(year),
            submitted_at,
            OPERATING.pick(rng),
            f"0{rng.randrange(100, 999)}-{rng.randrange(10_000_000, 99_999_999)}",
            # example.com (RFC 2606) so no notification can ever reach a real mailbox.
            f"contact{firm.id}@example.com",
            firm.address,
            str(employees),
            money(assets),
            money(liabilities),
            money(assets - liabilities),
            money(revenue),
            money(revenue * rng.randrange(80, 101) // 100),
            money(profit),
            money(profit * 3 // 4 if profit > 0 else profit),
            money(revenue * rng.randrange(1, 7) // 100),
            "{" + ",".join(withheld) + "}",
            # Parts companies file only through self-service: empty in generated reports.
            "",
            NULL,
            NULL,
            "[]",
            "[]",
            "[]",
            "[]",
            "[]",
            "{}",
            "{}",
        )
    )


def _tax(ctx, rng, firm, out, employees) -> None:
    head = (str(firm.id), str(ctx.agencies[f"tax-{firm.place.province_code}"]), ctx.stamp, ctx.stamp)
    first_year = max(year_of(firm.established) + 1, 2021)
    for tax_type, rates in rng.sample(texts.TAX_TYPES, rng.randrange(1, 3)):
        if first_year > LAST_REPORT_YEAR:
            return
        year = rng.randrange(first_year, LAST_REPORT_YEAR + 1)
        if rng.random() < 0.6:
            start, end = YEAR_START[year], YEAR_START[year + 1] - 1
        else:
            quarter = rng.randrange(4)
            start = dt.date(year, quarter * 3 + 1, 1).toordinal()
            end = (
                YEAR_START[year + 1] if quarter == 3 else dt.date(year, quarter * 3 + 4, 1).toordinal()
            ) - 1
        rate = rng.choice(rates)
        paid = employees * rng.randrange(1_000, 50_000) * 100
        owed = paid * rng.randrange(5, 60) // 100 if rng.random() < 0.08 else 0
        out["taxrecord"].append(
            line(
                (
                    *head,
                    tax_type,
                    day(start),
                    day(end),
                    NULL if rate is None else f"{rate}.00",
                    money(paid),
                    money(owed),
                    TAX_GRADES.pick(rng),
                )
            )
        )


def _contributions(ctx, rng, firm, out, employees) -> None:
    head = (str(firm.id), str(ctx.agencies["mohrss"]), ctx.stamp, ctx.stamp)
    year = LAST_REPORT_YEAR
    first_month = rng.randrange(1, 11)
    months = range(first_month, min(12, first_month + rng.randrange(2, 12)) + 1)
    base = rng.randrange(4_000, 9_000) * 100
    for scheme, per_mille in rng.sample(SCHEMES, rng.randrange(1, 3)):
        for month in months:
            due = employees * base * per_mille // 1000
            paid = due if rng.random() < 0.9 else due * rng.randrange(0, 10) // 10
            out["contributionrecord"].append(
                line((*head, scheme, str(year), str(month), str(employees), money(due), money(paid)))
            )
