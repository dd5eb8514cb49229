from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.form_fields import AmountField, PhoneField, PostcodeField
from core.validators import (
    AMOUNT_MAX,
    amount_text_clean,
    validate_amount,
    validate_phone,
    validate_postcode,
    validate_signed_amount,
)


@pytest.mark.parametrize(
    "number",
    [
        "13812345678",
        "19912345678",
        "+8613812345678",
        "138 1234 5678",
        "010-12345678",
        "01012345678",
        "021-87654321",
        "0551-1234567",
        "0551-12345678",
        "(0551) 1234567",
        "0551-1234567-801",
        "0551-1234567转801",
        "0551-1234567 ext. 801",
    ],
)
def test_mobile_and_landline_numbers_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize(
    "number",
    [
        "abc",
        "",
        "12812345678",
        "1381234567",
        "138123456789",
        "551-1234567",
        "0551-123456",
        "0551-0234567",
        "0551-1234567-1234567",
    ],
)
def test_other_phone_numbers_are_refused_naming_the_format(number):
    with pytest.raises(ValidationError) as error:
        validate_phone(number)
    assert "010-12345678" in error.value.messages[0] and "13812345678" in error.value.messages[0]


@given(st.from_regex(r"\A1[3-9]\d{9}\Z"))
def test_every_mobile_number_is_accepted(number):
    validate_phone(number)


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=20))
def test_letters_are_never_a_phone_number(text):
    with pytest.raises(ValidationError):
        validate_phone(text)


def test_phone_field_keeps_the_number_without_spaces():
    assert PhoneField().clean("(0551) 123 4567") == "05511234567"
    with pytest.raises(ValidationError):
        PhoneField().clean("abc")


@pytest.mark.parametrize("code", ["230001", "100000", "010010", "850000"])
def test_six_digit_postcodes_are_accepted(code):
    validate_postcode(code)


@pytest.mark.parametrize("code", ["23000", "2300011", "000000", "002300", "900000", "23000a", ""])
def test_other_postcodes_are_refused(code):
    with pytest.raises(ValidationError, match="six digits"):
        validate_postcode(code)


def test_postcode_field_gives_one_message():
    with pytest.raises(ValidationError) as error:
        PostcodeField().clean("2300011")
    assert error.value.messages == ["Enter a postcode of six digits, like 230001."]


@pytest.mark.parametrize(
    ("typed", "clean"),
    [("1,234,567.89", "1234567.89"), ("1234567.89", "1234567.89"), ("12，345", "12345"), ("-1,000", "-1000")],
)
def test_thousands_separators_in_their_place_are_accepted(typed, clean):
    assert amount_text_clean(typed) == clean


@pytest.mark.parametrize("typed", ["1,23,4", "1234,567", ",123", "1,2345.6", "12,34"])
def test_misplaced_separators_are_refused_with_the_rule(typed):
    with pytest.raises(ValidationError, match="groups of three digits"):
        amount_text_clean(typed)


@given(st.decimals(min_value=0, max_value=AMOUNT_MAX, places=2))
def test_amounts_with_two_places_round_trip_through_the_field_with_separators(amount):
    typed = f"{amount:,.2f}"
    assert AmountField().clean(typed) == amount


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12.345", "two decimal places"),
        ("-1", "0 or more"),
        (str(AMOUNT_MAX + 1), "no more than"),
        ("abc", "as a number"),
        ("NaN", "as a number"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_amount(value)


def test_a_signed_amount_may_be_a_loss_but_not_too_large():
    validate_signed_amount(Decimal("-12500.00"))
    with pytest.raises(ValidationError):
        validate_signed_amount(-(AMOUNT_MAX + 1))


def test_amount_field_is_a_text_box_with_a_decimal_keypad():
    html = str(AmountField().widget.render("amount", "1.5", attrs=AmountField().widget_attrs(None)))
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    with pytest.raises(ValidationError, match="two decimal places"):
        AmountField().clean("1.234")
