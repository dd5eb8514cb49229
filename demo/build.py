"""Chunk builders: rows for a range of person or enterprise indexes, as COPY text.

Every subject draws from its own generator seeded by (seed, index), so a row depends only on the
seed and its id: never on the batch size, the number of workers or which worker built it."""

from __future__ import annotations

import random

from .codes import person_identity, person_name
from .companies import build_enterprise
from .enforcement import add_enforcement
from .filings import add_filings
from .rows import RECORD_TABLES


def person_lines(ctx, first: int, count: int) -> str:
    tail, seed = f"\t{ctx.stamp}\t{ctx.stamp}\n", ctx.seed
    lines = []
    append = lines.append
    for index in range(first, first + count):
        id_hash, masked, sex, birth_year = person_identity(index)
        name = person_name(seed, index, sex == "M")
        append(f"{index}\t{name}\t{id_hash}\t{masked}\t{sex}\t{birth_year}{tail}")
    return "".join(lines)


def enterprise_lines(ctx, first: int, count: int) -> tuple[str, dict[str, list[str]]]:
    """The chunk's enterprise lines, and per record table its lines *without* the leading id."""
    rng = random.Random()  # noqa: S311 - synthetic data, reproducibility is the point
    out: dict[str, list[str]] = {key: [] for key in RECORD_TABLES}
    names: dict[int, str] = {}
    lines = []
    base = ctx.seed << 40
    for index in range(first, first + count):
        rng.seed(base + index)
        enterprise, firm = build_enterprise(ctx, rng, index, names, out)
        lines.append(enterprise)
        reported = add_filings(ctx, rng, firm, out)
        add_enforcement(ctx, rng, firm, reported, out)
    return "".join(lines), out


def with_ids(first_id: int, tails: list[str]) -> str:
    return "".join([f"{number}\t{tail}" for number, tail in enumerate(tails, start=first_id)])
