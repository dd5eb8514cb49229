import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.identifiers import (
    USCC_CHARSET,
    is_valid_resident_id,
    is_valid_uscc,
    mask_resident_id,
    organisation_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)

uscc_bodies = st.builds(
    lambda head, division, tail: head + division + tail,
    st.text(alphabet=USCC_CHARSET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9),
)
ALL_CHARS = USCC_CHARSET + "IOSVZabc-* 中"


@given(uscc_bodies)
def test_every_generated_uscc_validates(body):
    assert is_valid_uscc(body + uscc_check_char(body))


@given(uscc_bodies, st.integers(min_value=0, max_value=17), st.sampled_from(ALL_CHARS))
def test_any_single_character_change_breaks_a_uscc(body, position, replacement):
    code = body + uscc_check_char(body)
    if code[position] == replacement:
        replacement = USCC_CHARSET[(USCC_CHARSET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(changed)


def test_a_real_published_uscc_validates_and_neighbours_do_not():
    # Huawei Technologies Co., Ltd., as printed on its business licence.
    assert is_valid_uscc("914403001922038216")
    assert not is_valid_uscc("914403001922038217")
    assert organisation_code_check_char("19220382") == "1"


@pytest.mark.parametrize(
    "code", ["", "91440300192203821", "9144030019220382160", "91440300192203821I", "9A4403001922038216"]
)
def test_malformed_uscc_is_invalid(code):
    assert not is_valid_uscc(code)


def test_uscc_check_char_refuses_bad_body():
    with pytest.raises(ValueError):
        uscc_check_char("9144030019220382")
    with pytest.raises(ValueError):
        uscc_check_char("91440300192203821O"[:17].replace("1", "O"))


resident_bodies = st.builds(
    lambda division, birth, sequence: f"{division}{birth:%Y%m%d}{sequence:03d}",
    st.sampled_from(["110105", "340123", "440305", "650102"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@given(resident_bodies)
def test_every_generated_resident_id_validates(body):
    assert is_valid_resident_id(body + resident_id_check_char(body))


@given(resident_bodies, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789Xx a"))
def test_any_single_character_change_breaks_a_resident_id(body, position, replacement):
    number = body + resident_id_check_char(body)
    if number[position] == replacement:
        replacement = "0" if replacement != "0" else "1"
    changed = number[:position] + replacement + number[position + 1 :]
    assert not is_valid_resident_id(changed)


def test_standard_example_resident_id():
    assert is_valid_resident_id("11010519491231002X")
    assert not is_valid_resident_id("110105194912310021")
    assert not is_valid_resident_id("110105194902300026")  # 30 February


@given(resident_bodies)
def test_mask_keeps_first_ten_and_last_four(body):
    number = body + resident_id_check_char(body)
    masked = mask_resident_id(number)
    assert masked == number[:10] + "****" + number[-4:]
    assert len(masked) == 18


def test_mask_matches_the_court_sites_published_form():
    assert mask_resident_id("342301196405063224") == "3423011964****3224"
    with pytest.raises(ValueError):
        mask_resident_id("3423011964")
