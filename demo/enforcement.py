"""What agencies publish about a company: licences, penalties, inspections, awards, arrears,
abnormal-operation listings. Document numbers embed the enterprise id, so the per-agency unique
constraints on licence and decision numbers hold by construction."""

from __future__ import annotations

import datetime as dt

from . import texts
from .context import Weighted
from .filings import LAST_REPORT_YEAR, year_of
from .rows import NULL, day, line, money

INSPECTION_KINDS = Weighted((("double_random", 70), ("targeted", 20), ("complaint", 10)))
INSPECTION_KIND_ZH = {
    "double_random": "“双随机、一公开”抽查",
    "targeted": "定向检查",
    "complaint": "投诉举报核查",
}
RESULTS = Weighted(
    (("no_problem", 75), ("corrected", 10), ("not_found", 8), ("not_operating", 4), ("violation", 3))
)
REASONS = Weighted((("annual_report", 70), ("unreachable", 20), ("disclosure", 5), ("false_disclosure", 5)))
REMOVAL_FOR = {
    "annual_report": "report_filed",
    "unreachable": "reachable",
    "disclosure": "disclosure_made",
    "false_disclosure": "corrected",
}
UTILITIES = ("water", "electricity", "gas", "telecom")
# District heating is a northern utility (the Huai River line); provinces by code prefix.
HEATED = {"11", "12", "13", "14", "15", "21", "22", "23", "37", "41", "54", "61", "62", "63", "64", "65"}
JULY_FIRST = {year: dt.date(year, 7, 1).toordinal() for year in range(1980, 2080)}


def add_enforcement(ctx, rng, firm, reported_years, out) -> None:
    if firm.industry in texts.LICENCES and rng.random() < 0.25:
        _licences(ctx, rng, firm, out)
    young = firm.established > firm.as_of - 120
    if not young and rng.random() < 0.05:
        _penalties(ctx, rng, firm, out)
    if rng.random() < 0.10:
        _inspections(ctx, rng, firm, out)
    if not young and rng.random() < 0.02:
        _award(ctx, rng, firm, out)
    if rng.random() < 0.02:
        _arrears(ctx, rng, firm, out)
    # Revoked companies were nearly always listed first; others about 1.5 % (≈3 % overall).
    if not young and rng.random() < (0.6 if firm.status == "revoked" else 0.015):
        _abnormal(ctx, rng, firm, reported_years, out)


def _head(ctx, firm, agency) -> tuple:
    return (str(firm.id), str(agency), ctx.stamp, ctx.stamp)


def _licences(ctx, rng, firm, out) -> None:
    choices = texts.LICENCES[firm.industry]
    for j in range(rng.randrange(1, 3)):
        name, issuer, pattern = choices[j % len(choices)]
        agency = firm.agency if issuer == "amr" else ctx.agencies[issuer]
        start = rng.randrange(firm.established, firm.as_of + 1)
        end = start + 5 * 365
        number = pattern.format(
            region=firm.place.code,
            serial=firm.id * 4 + j,
            prov=firm.place.province,
            uscc=firm.uscc,
            j=j + 1,
            year=year_of(start),
        )
        status = "expired" if end < firm.as_of else "valid"
        if rng.random() < 0.03:
            status = rng.choice(("revoked", "cancelled"))
        out["administrativelicence"].append(
            line(
                (
                    *_head(ctx, firm, agency),
                    number,
                    name,
                    rng.choice(texts.SCOPE[firm.industry]),
                    str(agency),
                    day(start),
                    day(end),
                    status,
                )
            )
        )


def _penalties(ctx, rng, firm, out) -> None:
    for j in range(1 if rng.random() < 0.8 else 2):
        violation, found, basis, (low, high), by_tax = rng.choice(texts.VIOLATIONS)
        decided = rng.randrange(firm.established + 60, firm.as_of + 1)
        year = year_of(decided)
        if by_tax:
            agency = ctx.agencies[f"tax-{firm.place.province_code}"]
            number = f"{firm.place.province}税稽罚〔{year}〕{firm.id * 2 + j}号"
        else:
            agency = firm.agency
            number = f"{firm.place.city}市监处罚〔{year}〕{firm.id * 2 + j}号"
        fine = rng.randrange(low, high + 1) // 100 * 100
        confiscated = rng.randrange(1, 500) * 100 if not by_tax and rng.random() < 0.2 else 0
        content = f"{found}，违反了{basis}的规定。决定给予警告，并处罚款{fine}元"
        content += f"，没收违法所得{confiscated}元。" if confiscated else "。"
        out["administrativepenalty"].append(
            line(
                (
                    *_head(ctx, firm, agency),
                    number,
                    violation,
                    content,
                    basis,
                    money(fine * 100),
                    money(confiscated * 100),
                    day(decided),
                    str(agency),
                    day(decided + 3 * 365),
                )
            )
        )


def _inspections(ctx, rng, firm, out) -> None:
    for _ in range(1 if rng.random() < 0.8 else 2):
        kind, result = INSPECTION_KINDS.pick(rng), RESULTS.pick(rng)
        when = rng.randrange(firm.established, firm.as_of + 1)
        detail = (
            f"{year_of(when)}年{firm.place.city_full}{INSPECTION_KIND_ZH[kind]}："
            f"{texts.INSPECTION_DETAIL[result]}"
        )
        out["inspectionrecord"].append(
            line((*_head(ctx, firm, firm.agency), str(firm.agency), kind, day(when), result, detail))
        )


def _award(ctx, rng, firm, out) -> None:
    title, issuer, years = rng.choice(texts.AWARDS)
    if issuer == "amr-prov":
        agency = ctx.amr_by_province[firm.place.province_code]
    elif issuer == "tax-prov":
        agency = ctx.agencies[f"tax-{firm.place.province_code}"]
    else:
        agency = ctx.agencies[issuer]
    awarded = rng.randrange(min(firm.established + 365, firm.as_of), firm.as_of + 1)
    out["award"].append(
        line(
            (
                *_head(ctx, firm, agency),
                title,
                str(agency),
                day(awarded),
                day(awarded + years * 365) if years else NULL,
            )
        )
    )


def _supplier(utility, place) -> str:
    if utility == "electricity" and place.province_code[:2] in texts.SOUTHERN_GRID:
        return f"{place.province}电网有限责任公司{place.city}供电局"
    province = place.province_full if place.province_full.endswith("省") else place.province
    return texts.SUPPLIERS[utility].format(city=place.city, prov=province)


def _arrears(ctx, rng, firm, out) -> None:
    utilities = (*UTILITIES, "heating") if firm.place.province_code[:2] in HEATED else UTILITIES
    for utility in rng.sample(utilities, 1 if rng.random() < 0.8 else 2):
        since = rng.randrange(max(firm.established, firm.as_of - 3 * 365), firm.as_of + 1)
        settled = since + rng.randrange(10, 300)
        out["utilityarrear"].append(
            line(
                (
                    *_head(ctx, firm, ctx.agencies["ndrc"]),
                    utility,
                    _supplier(utility, firm.place),
                    money(rng.randrange(500, 200_000) * 100),
                    day(since),
                    day(settled) if rng.random() < 0.4 and settled <= firm.as_of else NULL,
                )
            )
        )


def _abnormal(ctx, rng, firm, reported_years, out) -> None:
    reasons = [REASONS.pick(rng)]
    if rng.random() < 0.3:
        reasons.append(REASONS.pick(rng))
    unreported = [y for y in range(year_of(firm.established), LAST_REPORT_YEAR) if y not in reported_years]
    used = set()
    for j, wanted in enumerate(reasons):
        reason = "unreachable" if wanted == "annual_report" and not unreported else wanted
        if reason in used:
            continue  # the database allows one open listing per reason
        used.add(reason)
        if reason == "annual_report":
            listed = JULY_FIRST[rng.choice(unreported) + 1] + rng.randrange(0, 60)
        else:
            listed = rng.randrange(firm.established + 90, firm.as_of + 1)
        removed = listed + rng.randrange(15, 700)
        removal = (NULL, "", NULL)
        if firm.status != "revoked" and removed <= firm.as_of and rng.random() < 0.4:
            why = "wrongly_listed" if rng.random() < 0.05 else REMOVAL_FOR[reason]
            removal = (day(removed), why, str(firm.agency))
        number = f"{firm.place.city}市监异列〔{year_of(listed)}〕{firm.id * 2 + j}号"
        out["abnormaloperationlisting"].append(
            line((*_head(ctx, firm, firm.agency), reason, day(listed), str(firm.agency), number, *removal))
        )
