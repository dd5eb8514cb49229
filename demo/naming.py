"""Names, addresses and business scopes composed from the word lists."""

from __future__ import annotations

from . import texts, words
from .context import Weighted

BRANDS = tuple(dict.fromkeys(words.BRAND_CHARS))
MALE = tuple(dict.fromkeys(words.GIVEN_MALE))
FEMALE = tuple(dict.fromkeys(words.GIVEN_FEMALE))
SURNAMES = Weighted(words.SURNAMES)
SUFFIXES = {kind: Weighted(pairs) for kind, pairs in words.COMPANY_SUFFIXES.items()}


def random_name(rng) -> str:
    """A name for someone with no person row (former officers, stand-ins when --persons is 0)."""
    pool = MALE if rng.random() < 0.5 else FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.78 else "")
    return SURNAMES.pick(rng) + given


def brand(rng) -> str:
    first, second = rng.sample(BRANDS, 2)
    return first + second


def address(place, rng) -> str:
    road = rng.choice(words.ROAD_NAMES) + rng.choice(words.ROAD_SUFFIXES)
    number = f"{rng.randrange(1, 999)}号"
    roll = rng.random()
    if roll < 0.35:
        number += f"{rng.randrange(1, 30)}栋{rng.randrange(1, 28)}{rng.randrange(1, 20):02d}室"
    elif roll < 0.55:
        number += f"{rng.choice(words.BUILDING_WORDS)}大厦{rng.randrange(2, 40)}层"
    district = rng.choice(words.DISTRICTS) if rng.random() < 0.7 else ""
    return f"{place.province_full}{place.city_full}{district}{road}{number}"


def company_name(kind, industry, place, rng, mark) -> str:
    suffix = SUFFIXES[kind].pick(rng) if kind in SUFFIXES else ""
    word = rng.choice(words.INDUSTRIES[industry][1])
    if kind == "individual_business":
        shop = rng.choice(words.SHOPS.get(industry, words.SHOPS["F"]))
        return f"{place.city_full}{rng.choice(words.DISTRICTS)}{mark}{shop}"
    if kind in ("sole_proprietorship", "collective"):
        return f"{place.city_full}{rng.choice(words.DISTRICTS)}{mark}{word}{suffix}"
    if kind == "cooperative":
        return f"{place.city_full}{mark}{word}{suffix}"
    if kind == "state_owned":
        return f"{place.city_full}{mark}{word}{suffix}"
    prefix = place.province if place.province_full and rng.random() < 0.1 else place.city
    return f"{prefix}{mark}{word}{suffix}"


def scope(industry, rng) -> list[str]:
    pool = texts.SCOPE[industry]
    phrases = rng.sample(pool, min(len(pool), rng.randrange(2, 5)))
    if rng.random() < 0.5:
        phrases.append(rng.choice(texts.SCOPE_GENERAL))
    return phrases


def scope_text(phrases) -> str:
    return "；".join(phrases) + "。" + texts.SCOPE_TAIL
