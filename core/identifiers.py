"""Check characters and masking for China's official identifiers.

USCC: GB 32100-2015. Resident ID number: GB 11643-1999. Organisation code:
GB 11714-1997. The function names and signatures here are a contract other
code and checks rely on.
"""

from __future__ import annotations

import datetime as dt
import re
from operator import mul

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {char: index for index, char in enumerate(USCC_CHARSET)}
_USCC_BODY = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{17}$")
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
_RESIDENT_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")

ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANISATION_CODE_BODY = re.compile(r"^[0-9A-Z]{8}$")


def uscc_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a USCC."""
    if not isinstance(first17, str) or not _USCC_BODY.match(first17) or len(first17) != 17:
        raise ValueError("A USCC body is 17 characters from 0-9 and A-Y without I, O, S, V, Z.")
    # map() keeps the loop in C: imports check hundreds of thousands of codes.
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, first17), USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


# GB 32100 position 1 (registration authority) and 2 (category) of the public-sector subjects:
# 1 organ establishment (11 organs, 12 public institutions, 13 mass organisations), 5 civil affairs
# (54 basic-level self-governing organisations: village and residents' committees; the rest social
# organisations). The values are registry.Enterprise.EntityType codes.
_USCC_PUBLIC_KINDS = {
    "11": "government_organ",
    "12": "public_institution",
    "13": "mass_organisation",
    "54": "village_committee",
}


def uscc_public_sector_kind(code: str) -> str:
    """The public-sector subject kind a USCC's first two characters name; "" for any other."""
    if not isinstance(code, str) or len(code) < 2:
        return ""
    if code[:2] in _USCC_PUBLIC_KINDS:
        return _USCC_PUBLIC_KINDS[code[:2]]
    return "social_organisation" if code[0] == "5" else ""


def uscc_has_valid_shape(code: str) -> bool:
    """True when ``code`` looks like a USCC, whatever its check character."""
    return isinstance(code, str) and bool(_USCC_SHAPE.match(code))


def is_valid_uscc(code: str) -> bool:
    """True for an 18-character USCC whose check character is right."""
    if not uscc_has_valid_shape(code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def organisation_code_check_char(first8: str) -> str:
    """Return the 9th (check) character of a GB 11714 organisation code."""
    if not _ORGANISATION_CODE_BODY.match(first8):
        raise ValueError("An organisation code body is 8 characters from 0-9 and A-Z.")
    total = sum(int(char, 36) * weight for char, weight in zip(first8, ORGANISATION_CODE_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def resident_id_check_char(first17: str) -> str:
    """Return the 18th (check) character of a resident ID number."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError("A resident ID body is 17 digits.")
    total = sum(map(mul, map(int, first17), RESIDENT_ID_WEIGHTS))
    return RESIDENT_ID_CHECK[total % 11]


def resident_id_birth_date(number: str) -> dt.date | None:
    """The birth date encoded in positions 7-14, or None when it is not a real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid_resident_id(number: str) -> bool:
    """True for an 18-character resident ID with a real birth date and right check."""
    if not isinstance(number, str) or not _RESIDENT_ID_SHAPE.match(number):
        return False
    birth = resident_id_birth_date(number)
    if birth is None or birth.year < 1900:
        return False
    return resident_id_check_char(number[:17]) == number[17]


def mask_resident_id(number: str) -> str:
    """The published form: first 10 characters, ``****``, last 4."""
    if not isinstance(number, str) or len(number) != 18:
        raise ValueError("A resident ID number has 18 characters.")
    return f"{number[:10]}****{number[-4:]}"
