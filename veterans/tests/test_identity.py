import datetime

import pytest

from core.errors import ApplicationError
from core.masking import mask_id_number, mask_phone
from veterans.identity import make_id_number, parse_id_number

TODAY = datetime.date(2026, 11, 23)


def test_valid_number_with_x_check_digit():
    facts = parse_id_number("11010519491231002X", today=TODAY)
    assert facts.birth_date == datetime.date(1949, 12, 31)
    assert facts.gender == "F"
    assert facts.province == "北京市"


def test_lowercase_x_is_accepted_and_normalised():
    assert parse_id_number("11010519491231002x", today=TODAY).number == "11010519491231002X"


def test_bad_check_digit_is_refused():
    with pytest.raises(ApplicationError, match="校验位"):
        parse_id_number("110105194912310021", today=TODAY)


def test_february_30_is_refused():
    body = "12010119500230001"
    with pytest.raises(ApplicationError, match="19500230不存在"):
        parse_id_number(body + "0", today=TODAY)


def test_future_birth_is_refused():
    number = make_id_number("120101", datetime.date(2027, 1, 1), 1, "M")
    with pytest.raises(ApplicationError, match="不合理"):
        parse_id_number(number, today=TODAY)


def test_17_characters_is_refused_with_the_length():
    with pytest.raises(ApplicationError, match="当前为17位"):
        parse_id_number("11010519491231002", today=TODAY)


def test_letters_inside_are_refused():
    with pytest.raises(ApplicationError, match="前17位必须是数字"):
        parse_id_number("1101051949123A002X", today=TODAY)


def test_unknown_region_is_refused():
    number = make_id_number("999999", datetime.date(1950, 1, 1), 1, "M")
    with pytest.raises(ApplicationError, match="地区码999999不存在"):
        parse_id_number(number, today=TODAY)


def test_region_created_after_birth_is_accepted():
    # 镇坪县 has been 610927 only since 2000; veterans born long before carry it.
    number = make_id_number("610927", datetime.date(1963, 5, 1), 7, "M")
    assert parse_id_number(number, today=TODAY).county == "镇坪县"


def test_masks():
    assert mask_id_number("12010119500304025X") == "120101********025X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == mask_phone("") == ""
