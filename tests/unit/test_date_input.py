"""Issue 14 item 1: every date box takes what Thai clerks type, in the Buddhist Era, and refuses what cannot
be meant (a clerk who typed 2569-11-28 into the browser's box once had 28 พฤศจิกายน 3112 stored)."""
from datetime import date

import pytest

from app.core.date_input import DateInputError, format_date_input, parse_date_input

TODAY = date(2026, 12, 3)
MEANT = date(2026, 11, 28)


@pytest.mark.parametrize("typed", [
    "28/11/2569", "28-11-2569", "28.11.2569", "28 11 2569", " 28 / 11 / 2569 ", "28/11/69", "28112569", "281169",
    "๒๘/๑๑/๒๕๖๙", "๒๘๑๑๒๕๖๙", "28 พฤศจิกายน 2569", "28 พ.ย. 2569", "28 พ.ย.2569", "๒๘ พ.ย. ๖๙",
    "2569-11-28", "2026-11-28", "28/11/2026",
])
def test_what_a_clerk_types_is_the_day_meant(typed):
    assert parse_date_input(typed, today=TODAY) == MEANT


def test_an_empty_box_is_no_date():
    assert parse_date_input("  ", today=TODAY) is None and parse_date_input(None, today=TODAY) is None


def test_single_digit_days_and_months():
    assert parse_date_input("1/2/2570", today=TODAY) == date(2027, 2, 1)


@pytest.mark.parametrize("typed, says", [
    ("31/02/2569", "is not a day of the calendar"),
    ("28/13/2569", "is not a day of the calendar"),
    ("28/11/3112", "between 2500 and 2589"),
    ("28/11/2499", "between 2500 and 2589"),
    ("28/11/1950", "between 2500 and 2589"),
    ("next friday", "day/month/year"),
    ("28/11", "day/month/year"),
    ("2569/28/11", "is not a day of the calendar"),
    ("28 ธันวา 2569", "day/month/year"),
])
def test_what_cannot_be_meant_is_refused_saying_why(typed, says):
    with pytest.raises(DateInputError, match=says):
        parse_date_input(typed, today=TODAY)


def test_a_date_goes_back_into_its_box_in_the_buddhist_era():
    assert format_date_input(MEANT) == "28/11/2569" and format_date_input(None) == ""
    assert parse_date_input(format_date_input(date(2027, 1, 5)), today=TODAY) == date(2027, 1, 5)
