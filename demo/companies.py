"""Enterprise rows: type, place, industry, name, codes, capital, team of persons."""

from __future__ import annotations

import datetime as dt

from . import words
from .codes import organisation_code, person_name, registration_number, uscc
from .context import Weighted
from .naming import address, brand, company_name, random_name, scope, scope_text
from .people import REFORM, add_people_records
from .rows import NULL, day, line, money, text_array

INDUSTRIES = Weighted([(key, weight) for key, (weight, _) in words.INDUSTRIES.items()])
INDIVIDUAL_INDUSTRIES = Weighted((("F", 50), ("H", 30), ("O", 15), ("A", 5)))
PARTNERSHIP_INDUSTRIES = Weighted((("J", 40), ("L", 40), ("M", 20)))
ENTITY_TYPES = Weighted(
    (
        ("llc", 72),
        ("individual_business", 10),
        ("partnership", 4),
        ("cooperative", 4),
        ("joint_stock", 3),
        ("sole_proprietorship", 3),
        ("foreign_invested", 2),
        ("state_owned", 1),
        ("collective", 1),
    )
)
USCC_CATEGORY = {"individual_business": "2", "cooperative": "3"}  # everything else is "1"
STATUSES = Weighted(
    (
        ("in_operation", 86),
        ("cancelled", 6),
        ("revoked", 3),
        ("moved_out", 2),
        ("deregistered", 1),
        ("suspended", 1),
        ("liquidation", 1),
    )
)
# Registered capital in units of 10,000 yuan (万元), the unit every licence shows.
CAPITAL = {
    "llc": Weighted(
        (
            (10, 10),
            (30, 8),
            (50, 15),
            (100, 25),
            (200, 12),
            (300, 8),
            (500, 10),
            (1000, 6),
            (2000, 3),
            (5000, 2),
            (10000, 1),
        )
    ),
    "joint_stock": Weighted(((1000, 3), (2000, 3), (5000, 3), (10000, 2), (30000, 1), (50000, 1))),
    "foreign_invested": Weighted(((50, 2), (100, 3), (200, 2), (500, 2), (1000, 1), (3000, 1))),
    "state_owned": Weighted(((100, 1), (500, 2), (1000, 2), (5000, 1))),
    "collective": Weighted(((10, 2), (50, 2), (100, 2), (500, 1))),
    "partnership": Weighted(((100, 2), (500, 3), (1000, 3), (3000, 1), (10000, 1))),
    "sole_proprietorship": Weighted(((1, 2), (3, 2), (5, 3), (10, 3), (50, 1))),
    "cooperative": Weighted(((5, 1), (10, 2), (50, 2), (100, 1), (200, 1))),
    "individual_business": Weighted(((1, 1), (3, 2), (5, 2), (10, 1))),
}
YEARS = Weighted([(year, int(100 * 1.12 ** (year - 1985))) for year in range(1985, 2026)] + [(2026, 4000)])
YEAR_START = {year: dt.date(year, 1, 1).toordinal() for year in range(1980, 2080)}


class Firm:
    """One enterprise as the record builders need it."""

    __slots__ = (
        "address",
        "agency",
        "approved",
        "as_of",
        "capital",
        "established",
        "id",
        "industry",
        "kind",
        "name",
        "place",
        "scope",
        "status",
        "team_ids",
        "team_names",
        "uscc",
    )


def build_enterprise(ctx, rng, index: int, group_names: dict, out: dict) -> tuple[str, Firm]:
    """Draw one enterprise, append its people-related records to ``out``; return its line."""
    firm = Firm()
    firm.id, firm.as_of = index, ctx.as_of
    kind = firm.kind = ENTITY_TYPES.pick(rng)
    place = firm.place = ctx.place_choice.pick(rng)
    firm.agency = place.amr_id
    if kind == "individual_business":
        industry = INDIVIDUAL_INDUSTRIES.pick(rng)
    elif kind == "cooperative":
        industry = "A"
    elif kind == "partnership":
        industry = PARTNERSHIP_INDUSTRIES.pick(rng)
    else:
        industry = INDUSTRIES.pick(rng)
    firm.industry = industry
    established = min(YEAR_START[YEARS.pick(rng)] + rng.randrange(365), ctx.as_of - 1)
    firm.established = firm.approved = established
    modern = established >= REFORM
    firm.uscc = uscc(USCC_CATEGORY.get(kind, "1"), place.code, organisation_code(index, modern=modern))
    firm.name = company_name(kind, industry, place, rng, brand(rng))
    group_names[index] = firm.name
    firm.status = STATUSES.pick(rng) if established < ctx.as_of - 365 else "in_operation"
    firm.address = address(place, rng)
    phrases = scope(industry, rng)
    firm.scope = scope_text(phrases)
    firm.capital = CAPITAL[kind].pick(rng) * 10000
    currency = "CNY"
    if kind == "foreign_invested" and rng.random() < 0.5:
        currency = "USD" if rng.random() < 0.8 else "HKD"
    if ctx.person_count:
        picks = rng.sample(range(ctx.person_count), min(5, ctx.person_count))
        firm.team_ids = [str(ctx.person_first + pick) for pick in picks]
        firm.team_names = [person_name(ctx.seed, ctx.person_first + pick) for pick in picks]
    else:
        firm.team_names = [random_name(rng) for _ in range(5)]
        firm.team_ids = [NULL] * 5
    former = add_people_records(ctx, rng, firm, group_names, phrases, out)
    operating_to = NULL
    if rng.random() < 0.4:
        term = rng.choice((10, 20, 30, 50))
        operating_to = day(established + term * 365 + term // 4 - 1)
    est = day(established)
    return line(
        (
            str(index),
            firm.uscc,
            "f",
            registration_number(place.code, index) if not modern else "",
            firm.name,
            text_array(former),
            kind,
            firm.team_names[0],
            firm.team_ids[0],
            NULL if kind == "individual_business" else money(firm.capital * 100),
            currency,
            est,
            est,
            operating_to,
            day(firm.approved),
            str(place.amr_id),
            firm.status,
            firm.address,
            firm.scope,
            place.code,
            industry,
            ctx.stamp,
            ctx.stamp,
            "",
            NULL,
            NULL,
        )
    ), firm
