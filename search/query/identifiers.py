"""Identifiers typed in a search box: the keys they could be, and why one cannot be right."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from core.identifiers import (
    is_valid_resident_id,
    is_valid_uscc,
    organisation_code_check_char,
    resident_id_birth_date,
    resident_id_check_char,
    uscc_check_char,
    uscc_has_valid_shape,
)
from core.privacy import resident_id_hash
from search.normalise import normalise_identifier

_RESIDENT_ID = re.compile(r"^[0-9]{17}[0-9X]$")
_ORGANISATION_CODE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")
_REGISTRATION_NUMBER = re.compile(r"^[0-9]{13,15}$")
# A resident ID number as courts publish it: the first 10 characters, four stars, the last 4.
_MASKED_ID = re.compile(r"^[0-9]{10}\*{4}[0-9]{3}[0-9X]$")
# Digits (and X) with stars among them: an attempt at the masked form.
_MASKED_ATTEMPT = re.compile(r"^(?=(?:[^0-9]*[0-9]){4})[0-9X]*\*+[0-9X*]*$")
# The start of a resident ID number (a division code first), or the whole of it less the end.
_PARTIAL_ID = re.compile(r"^[1-9][0-9]{5,16}$")
# (2019)皖1122执1194号, (2020)京0105民初12345号, (2021)最高法执监12号 — after normalisation.
_CASE_NUMBER = re.compile(r"^(19|20)[0-9]{2}[\u4e00-\u9fff]{1,4}[0-9]{0,6}[\u4e00-\u9fff]{1,6}[0-9]{1,8}号$")


def identifier_keys(text: str) -> list[str]:
    """The identifier keys ``text`` could be, already normalised; [] for ordinary text."""
    key = normalise_identifier(text)
    keys = []
    if len(key) == 18 and uscc_has_valid_shape(key):
        keys.append(key)
    if _RESIDENT_ID.match(key) and is_valid_resident_id(key):
        keys.append(normalise_identifier(resident_id_hash(key)))
    if _ORGANISATION_CODE.match(key) and organisation_code_check_char(key[:8]) == key[8]:
        keys.append(key)
    if _REGISTRATION_NUMBER.match(key):
        keys.append(key)
    if _CASE_NUMBER.match(key):
        keys.append(key)
    return list(dict.fromkeys(keys))


def _query_words(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", str(text or "")).upper().split()


def masked_id_query(text: str) -> tuple[str, str] | None:
    """``(masked ID, name)`` when ``text`` is a masked ID number exactly as published
    (``3418001998****2800``), alone or with a name before or after it; otherwise None."""
    words = unicodedata.normalize("NFKC", str(text or "")).split()
    for index in dict.fromkeys((0, len(words) - 1)) if words else ():
        if _MASKED_ID.match(words[index].upper()):
            return words[index].upper(), " ".join(words[:index] + words[index + 1 :])
    return None


def identifier_problem(text: str, *, persons: bool = True) -> str | None:
    """Why ``text``, which looks like an identifier but found nothing, cannot be one; or None.

    For a search of persons and list subjects only (``persons``; ``search`` sets it when
    ``kinds`` are given without enterprises): a masked ID number not in the published form, the
    start of an ID number, an 18-character ID number with a wrong check character or birth date.
    For every search: an 18-character USCC with a wrong check character. ``search`` asks only
    when neither the identifiers nor the text found anything; the message is fit to show instead
    of "0 results"."""
    words = _query_words(text)
    if persons and any(_MASKED_ATTEMPT.match(word) and not _MASKED_ID.match(word) for word in words):
        return _(
            "A masked ID number is searched exactly as published: 10 characters, four stars and the "
            "last 4 characters (XXXXXXXXXX****XXXX)."
        )
    key = normalise_identifier(text)
    if persons and _PARTIAL_ID.match(key):
        return _(
            "This looks like part of an ID number. Enter the full 18-character ID number, or the masked "
            "form exactly as published (XXXXXXXXXX****XXXX)."
        )
    if len(key) != 18 or is_valid_uscc(key):
        return None
    if persons and _RESIDENT_ID.match(key):
        birth = resident_id_birth_date(key)
        if birth is not None and birth.year >= 1900:
            if is_valid_resident_id(key):
                return None
            return _(
                "The check character of this ID number is %(given)s but should be %(expected)s: "
                "please check the number for a typing error."
            ) % {"given": key[17], "expected": resident_id_check_char(key[:17])}
        if not uscc_has_valid_shape(key):
            return _("Characters 7-14 of a resident ID number must be a real birth date (YYYYMMDD).")
    if uscc_has_valid_shape(key) and not is_valid_resident_id(key):
        return _(
            "The USCC check character is %(given)s but should be %(expected)s: "
            "please check the code for a typing error."
        ) % {"given": key[17], "expected": uscc_check_char(key[:17])}
    return None
