"""Checks of what people type into forms: Chinese phone numbers, postcodes and amounts of money.

Each check raises ``ValidationError`` with a message that names the expected format, so a form
shows the person what to type rather than only that it is wrong.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A mobile number: 11 digits, 1 then 3-9 (the network), optionally after +86 or 0086.
MOBILE = re.compile(r"^(?:\+86|0086)?1[3-9]\d{9}$")
# A landline: the area code (010, 02x, or four digits 03xx-09xx), then a local number of 7 or 8
# digits that does not start with 0, then an optional extension of 1-6 digits.
LANDLINE = re.compile(r"^(?:010|02\d|0[3-9]\d{2})-?[1-9]\d{6,7}(?:(?:-|转|#|ext\.?)\d{1,6})?$", re.IGNORECASE)
# Spaces, and brackets round the area code, are how people write numbers: they are ignored.
PHONE_IGNORED = re.compile(r"[\s()（）]")

# A postcode is six digits; the first two name the province or region and are 01-89 ("00" and the
# unused region 9 are refused).
POSTCODE = re.compile(r"^(?:0[1-9]|[1-8]\d)\d{4}$")

AMOUNT_PLACES = 2
# The largest amount a form accepts, in yuan: far above any enterprise's figures, and a typo of a
# few extra digits is caught.
AMOUNT_MAX = Decimal("99999999999999.99")
# Thousands separators: groups of three digits after the first one to three, "," or "，".
GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[,，]\d{3})+(?:\.\d*)?$")


def phone_normalise(value: str) -> str:
    """The number without the spaces and brackets people write in it."""
    return PHONE_IGNORED.sub("", value or "")


def validate_phone(value: str) -> None:
    number = phone_normalise(value)
    if MOBILE.match(number) or LANDLINE.match(number):
        return
    raise ValidationError(
        _(
            "Enter a phone number in the format of a mobile number, 11 digits starting with 1 "
            "(like 13812345678), or a landline with its area code (like 010-12345678 or "
            "0551-1234567), optionally followed by an extension (like 0551-1234567-801)."
        ),
        code="invalid_phone",
    )


def validate_postcode(value: str) -> None:
    if POSTCODE.match((value or "").strip()):
        return
    raise ValidationError(
        _("Enter a postcode of six digits, like 230001."),
        code="invalid_postcode",
    )


def amount_text_clean(value: str) -> str:
    """The amount as typed, without its thousands separators; misplaced separators are refused."""
    text = (value or "").strip().replace("，", ",")
    if "," not in text:
        return text
    if not GROUPED.match(text):
        raise ValidationError(
            _(
                "Enter the amount as digits, with commas only between groups of three digits "
                "(like 1,234,567.89) or without commas (like 1234567.89)."
            ),
            code="misplaced_separator",
        )
    return text.replace(",", "")


def validate_amount(value, *, signed: bool = False) -> None:
    """An amount of money: at most two decimal places, no more than ``AMOUNT_MAX`` either way,
    and not negative unless ``signed`` (a profit may be a loss)."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("Enter the amount as a number, like 1234567.89."), code="invalid") from None
    if not amount.is_finite():
        raise ValidationError(_("Enter the amount as a number, like 1234567.89."), code="invalid")
    if not signed and amount < 0:
        raise ValidationError(_("Enter an amount of 0 or more."), code="negative")
    if -amount.as_tuple().exponent > AMOUNT_PLACES:
        raise ValidationError(
            _("Enter the amount with at most two decimal places (fen), like 1234.56."), code="places"
        )
    if abs(amount) > AMOUNT_MAX:
        raise ValidationError(
            _("Enter an amount of no more than %(max)s yuan."),
            code="too_large",
            params={"max": "99,999,999,999,999.99"},
        )


def validate_signed_amount(value) -> None:
    validate_amount(value, signed=True)
