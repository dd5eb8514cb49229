"""Identifiers for synthetic subjects, each a bijection of the subject's index.

Codes are derived from the row's primary key through fixed permutations rather than drawn at
random, so two rows can never share a code however many are generated, appended runs never
collide with earlier ones, and no table of used codes has to be kept in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from core.identifiers import (
    USCC_CHARSET,
    mask_resident_id,
    organisation_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)
from core.privacy import resident_id_hash

from .words import GIVEN_FEMALE, GIVEN_MALE, SURNAMES

REGIONS_CSV = Path(__file__).resolve().parent.parent / "registry" / "data" / "regions.csv"

MASK64 = (1 << 64) - 1
ORG_SPACE = 10**8  # 8-digit organisation-code bodies; also fits "MA" + 6 base-31 characters
BRANCH_SPACE = 31**6
BIRTH_FIRST = dt.date(1940, 1, 1).toordinal()
BIRTH_DAYS = dt.date(2005, 12, 31).toordinal() - BIRTH_FIRST + 1
ROUND_KEYS = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)


def mix64(value: int) -> int:
    """SplitMix64 finaliser: a cheap, well-spread hash of an integer."""
    z = (value + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def permute(value: int, size: int) -> int:
    """A fixed bijection of range(size) that scatters neighbours (so consecutive ids do not get
    look-alike codes): odd multiplications and xor-shifts are bijections on k-bit integers, and
    cycle-walking until the result falls below ``size`` keeps it a bijection of range(size)."""
    if not 0 <= value < size:
        raise ValueError(f"{value} is outside the demo code space of {size:,}.")
    bits = max(4, (size - 1).bit_length())
    mask, shift = (1 << bits) - 1, bits // 2 + 1
    while True:
        for key in ROUND_KEYS:
            value = (value * (key | 1) + (key >> 7)) & mask
            value ^= value >> shift
        if value < size:
            return value


def _base31(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, digit = divmod(value, 31)
        chars.append(USCC_CHARSET[digit])
    return "".join(reversed(chars))


def organisation_number(index: int) -> int:
    """Enterprise ids up to 100 million map to distinct numbers."""
    return permute(index, ORG_SPACE)


def organisation_code(index: int, *, modern: bool) -> str:
    """GB 11714 code (9 characters). Codes issued since the 2015 reform start with ``MA``;
    both shapes come from the same permuted number, so they cannot collide with each other."""
    number = organisation_number(index)
    body = "MA" + _base31(number, 6) if modern else f"{number:08d}"
    return body + organisation_code_check_char(body)


def branch_organisation_code(enterprise_index: int, branch_no: int) -> str:
    number = permute(enterprise_index * 4 + branch_no, BRANCH_SPACE)
    body = "MB" + _base31(number, 6)
    return body + organisation_code_check_char(body)


def uscc(category: str, region_code: str, organisation: str) -> str:
    body = f"9{category}{region_code}{organisation}"
    return body + uscc_check_char(body)


def registration_number(region_code: str, index: int) -> str:
    """Pre-2015 15-digit registration number, with its ISO 7064 MOD 11,10 check digit."""
    body = f"{region_code}{organisation_number(index):08d}"
    product = 10
    for char in body:
        total = (product + int(char)) % 10 or 10
        product = total * 2 % 11
    return body + str((11 - product) % 10)


@lru_cache(maxsize=1)
def resident_id_regions() -> tuple[str, ...]:
    """Prefecture codes a demo resident ID may start with (read from the shipped CSV, not the DB,
    so ``demo_resident_id`` is a pure function)."""
    with open(REGIONS_CSV, encoding="utf-8", newline="") as handle:
        return tuple(
            row["code"]
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
            if row["level"] == "prefecture"
            and not row["valid_until_year"]
            and "直辖" not in row["name_zh"]
            and row["name_zh"] != "林区"
        )


@lru_cache(maxsize=1)
def _id_space() -> int:
    return len(resident_id_regions()) * BIRTH_DAYS * 1000


@lru_cache(maxsize=1)
def _birth_dates() -> tuple[str, ...]:
    return tuple(dt.date.fromordinal(BIRTH_FIRST + day).strftime("%Y%m%d") for day in range(BIRTH_DAYS))


def _id_position(index: int) -> int:
    return permute(index, _id_space())


def demo_resident_id(index: int) -> str:
    """The resident ID number of demo person ``index`` (its primary key).

    Deliberately independent of the seed: a run appended with another seed gets fresh indexes
    and therefore fresh numbers, so the unique ``id_hash`` can never collide."""
    position = _id_position(index)
    position, sequence = divmod(position, 1000)
    region, day = divmod(position, BIRTH_DAYS)
    body = f"{resident_id_regions()[region]}{_birth_dates()[day]}{sequence:03d}"
    return body + resident_id_check_char(body)


def person_is_male(index: int) -> bool:
    return _id_position(index) % 2 == 1  # the sequence's last digit is the 17th character


_SURNAME_CUM = []
for _name, _weight in SURNAMES:
    _SURNAME_CUM.append((_SURNAME_CUM[-1] if _SURNAME_CUM else 0) + _weight)
_SURNAME_TOTAL = _SURNAME_CUM[-1]
_SURNAME_LIST = tuple(name for name, _ in SURNAMES)
_MALE = tuple(dict.fromkeys(GIVEN_MALE))
_FEMALE = tuple(dict.fromkeys(GIVEN_FEMALE))


def person_name(seed: int, index: int, male: bool | None = None) -> str:
    """The name of demo person ``index``: recomputable anywhere, so companies can cite their
    officers by name without reading the person table back. ``male`` only saves recomputing
    the sex when the caller already knows it."""
    first = mix64((seed << 40) ^ index)
    second = mix64(first)
    surname = _SURNAME_LIST[bisect_right(_SURNAME_CUM, ((first & 0xFFFFFFFF) * _SURNAME_TOTAL) >> 32)]
    pool = _MALE if (person_is_male(index) if male is None else male) else _FEMALE
    given = pool[(second & 0xFFFF) % len(pool)]
    if (first >> 32) % 100 < 78:  # about four in five given names have two characters
        given += pool[((second >> 16) & 0xFFFF) % len(pool)]
    return surname + given


def person_identity(index: int) -> tuple[str, str, str, int]:
    """(id_hash, id_masked, sex, birth_year); the number itself goes out of scope here."""
    number = demo_resident_id(index)
    sex = "M" if int(number[16]) % 2 else "F"
    return resident_id_hash(number), mask_resident_id(number), sex, int(number[6:10])
