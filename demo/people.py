"""Records about a company's people and history: shareholders, key personnel, branches, changes."""

from __future__ import annotations

import datetime as dt

from . import texts, words
from .codes import branch_organisation_code, uscc
from .context import GROUP, Weighted
from .naming import address, brand, company_name, random_name, scope_text
from .rows import NULL, day, line, money

SHAREHOLDER_COUNTS = {
    "llc": Weighted(((1, 40), (2, 35), (3, 15), (4, 10))),
    "joint_stock": Weighted(((2, 1), (3, 2), (4, 3))),
    "partnership": Weighted(((2, 3), (3, 2), (4, 1))),
    "cooperative": Weighted(((2, 1), (3, 2), (4, 3))),
    "foreign_invested": Weighted(((1, 3), (2, 1))),
}
# Role sequences: "L" is the legal representative again, "P" the next other person.
ROLES = {
    "llc": (
        ("legal_representative", "L"),
        ("executive_director", "L"),
        ("supervisor", "P"),
        ("general_manager", "L"),
        ("financial_officer", "P"),
    ),
    "joint_stock": (
        ("legal_representative", "L"),
        ("chairman", "L"),
        ("director", "P"),
        ("supervisor", "P"),
        ("general_manager", "P"),
    ),
    "foreign_invested": (
        ("legal_representative", "L"),
        ("chairman", "L"),
        ("director", "P"),
        ("general_manager", "P"),
        ("supervisor", "P"),
    ),
    "cooperative": (
        ("legal_representative", "L"),
        ("chairman", "L"),
        ("supervisor", "P"),
        ("financial_officer", "P"),
    ),
    "partnership": (("legal_representative", "L"), ("manager", "P"), ("financial_officer", "P")),
    "sole_proprietorship": (("legal_representative", "L"), ("manager", "L")),
    "state_owned": (
        ("legal_representative", "L"),
        ("general_manager", "L"),
        ("financial_officer", "P"),
        ("supervisor", "P"),
    ),
    "collective": (("legal_representative", "L"), ("general_manager", "L"), ("financial_officer", "P")),
    "individual_business": (("legal_representative", "L"),),
}
METHODS = Weighted(texts.SUBSCRIPTION_METHODS)
REFORM = dt.date(2015, 10, 1).toordinal()  # codes issued from here on are "MA" codes


def _shareholders(ctx, rng, firm, group_names, out) -> list[str]:
    head = (str(firm.id), str(firm.agency), ctx.stamp, ctx.stamp)
    count = SHAREHOLDER_COUNTS[firm.kind].pick(rng) if firm.kind in SHAREHOLDER_COUNTS else 1
    shares = [rng.randrange(1, 10) for _ in range(count)]
    total, left = sum(shares), firm.capital
    group_start = ctx.enterprise_first + (firm.id - ctx.enterprise_first) // GROUP * GROUP
    names, people = [], 0
    for slot, share in enumerate(shares):
        amount = left if slot == count - 1 else firm.capital * share // total // 100 * 100
        left -= amount
        person_id = enterprise_id = NULL
        roll = rng.random()
        if firm.kind in ("foreign_invested", "state_owned", "collective"):
            holder_kind, name = "other", _institution(firm, rng)
        elif slot and roll < 0.15 and firm.id > group_start:
            cited = rng.randrange(group_start, firm.id)
            holder_kind, name, enterprise_id = "enterprise", group_names[cited], str(cited)
        elif people < len(firm.team_names):
            holder_kind, name, person_id = "person", firm.team_names[people], firm.team_ids[people]
            people += 1
        else:
            holder_kind, name = "other", _institution(firm, rng)
        names.append(name)
        method = METHODS.pick(rng)
        if firm.established < REFORM - 300:
            due = firm.established
        else:
            due = firm.established + rng.choice((5, 10, 20, 30)) * 365
        paid_roll = rng.random()
        paid = 0 if paid_roll < 0.45 else amount if paid_roll < 0.8 else amount * rng.randrange(1, 10) // 10
        paid_on = min(firm.established + rng.randrange(0, 900), firm.as_of) if paid else None
        out["shareholder"].append(
            line(
                (
                    *head,
                    holder_kind,
                    name,
                    person_id,
                    enterprise_id,
                    money(amount * 100),
                    day(due),
                    method,
                    money(paid * 100),
                    day(paid_on) if paid_on else NULL,
                    method if paid else "",
                )
            )
        )
    return names


def _institution(firm, rng) -> str:
    place = firm.place
    if firm.kind == "foreign_invested":
        where, tail = rng.choice(words.FOREIGN_INVESTOR_PLACES)
        return f"{where}{brand(rng)}投资{tail}" if where else rng.choice(words.FOREIGN_BRANDS) + tail
    if firm.kind == "collective":
        return f"{place.city_full}{brand(rng)}{rng.choice(words.COLLECTIVE_INVESTORS)}"
    return f"{place.city_full}{rng.choice(words.STATE_INVESTORS)}"


def add_people_records(ctx, rng, firm, group_names, phrases, out) -> list[str]:
    """Shareholders, key personnel, branches and change records; returns former names."""
    holders = _shareholders(ctx, rng, firm, group_names, out)
    head = (str(firm.id), str(firm.agency), ctx.stamp, ctx.stamp)
    roles = ROLES[firm.kind]
    count = len(roles) if len(roles) <= 2 else rng.randrange(2, len(roles) + 1)
    other = 1
    for role, who in roles[:count]:
        if who == "L":
            slot = 0
        else:
            slot, other = min(other, len(firm.team_names) - 1), other + 1
        appointed = (
            firm.established
            if slot == 0 or rng.random() < 0.7
            else rng.randrange(firm.established, firm.as_of + 1)
        )
        out["keypersonnel"].append(
            line((*head, firm.team_names[slot], firm.team_ids[slot], role, day(appointed), NULL))
        )
    if firm.kind in ("llc", "joint_stock", "state_owned") and rng.random() < 0.08:
        _branches(ctx, rng, firm, out)
    if firm.established < firm.as_of - 365 and rng.random() < 0.4:
        return _changes(ctx, rng, firm, holders, phrases, out)
    return []


def _branches(ctx, rng, firm, out) -> None:
    for number in range(rng.randrange(1, 4)):
        place = ctx.place_choice.pick(rng)
        where = place.city if place.code != firm.place.code else rng.choice(words.DISTRICTS)
        name = f"{firm.name}{where}{('', '第二', '第三')[number]}分公司"
        code = uscc("1", place.code, branch_organisation_code(firm.id, number)) if rng.random() < 0.8 else ""
        opened = rng.randrange(firm.established, firm.as_of + 1)
        out["branch"].append(
            line(
                (
                    str(firm.id),
                    str(place.amr_id),
                    ctx.stamp,
                    ctx.stamp,
                    name,
                    code,
                    place.code,
                    str(place.amr_id),
                    day(opened),
                )
            )
        )


def _changes(ctx, rng, firm, holders, phrases, out) -> list[str]:
    former = []
    for item in rng.sample(texts.CHANGE_ITEMS, rng.randrange(1, 4)):
        if item == "名称变更":
            before = company_name(firm.kind, firm.industry, firm.place, rng, brand(rng))
            if before == firm.name:
                continue
            former.append(before)
            after = firm.name
        elif item == "注册资本变更":
            old = firm.capital // 10000 * rng.choice((1, 2, 3, 5)) // 10 or 1
            before, after = f"{old}万元人民币", f"{firm.capital // 10000}万元人民币"
        elif item == "住所变更":
            before, after = address(firm.place, rng), firm.address
        elif item == "法定代表人变更":
            before, after = random_name(rng), firm.team_names[0]
        elif item == "经营范围变更":
            before, after = scope_text(phrases[:-1] or [texts.SCOPE_GENERAL[0]]), firm.scope
        elif item == "投资人（股权）变更":
            before, after = "、".join([*holders[:-1], random_name(rng)]), "、".join(holders)
        else:
            before = "、".join(random_name(rng) for _ in range(2))
            after = "、".join(dict.fromkeys(firm.team_names[:3]))
        if before == after:
            continue
        changed = rng.randrange(firm.established + 30, firm.as_of)
        firm.approved = max(firm.approved, changed)
        out["changerecord"].append(
            line((str(firm.id), str(firm.agency), ctx.stamp, ctx.stamp, item, before, after, day(changed)))
        )
    return former
