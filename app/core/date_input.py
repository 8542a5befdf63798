"""Dates as Thai clerks type them (issue 14 item 1): day first, the year in the Buddhist Era.

Accepted, with Thai or Arabic digits:
- 28/11/2569, 28-11-2569, 28.11.2569, 28 11 2569, 28/11/69 (two digits: 25xx BE), 28112569, 281169;
- 28 พฤศจิกายน 2569, 28 พ.ย. 2569, 28 พ.ย. 69 (as in letters and PDFs);
- 2569-11-28 (year first: what a browser's date box sends, and what people type into one);
- a four-digit year of the Christian Era is taken as such (2026-11-28, 28/11/2026): a year from 2400 is
  Buddhist, below it Christian, and the two ranges do not meet in the years the office uses.
Refused, with a message that says why: anything else, a day that does not exist (31/02/2569), and a year
before 2500 BE or more than 20 years ahead, which are mistakes rather than dates (a year typed as 3112).
"""
import re
from datetime import date

from app.core.messages import lazy_gettext as _l
from app.core.thai_dates import BUDDHIST_ERA_OFFSET, THAI_MONTHS, THAI_MONTHS_SHORT

EARLIEST_BE_YEAR = 2500
YEARS_AHEAD = 20
FIRST_BE_YEAR = 2400  # a four-digit year from here on is Buddhist; below it, Christian

_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTH_NAMES = {name: number for number, name in enumerate(THAI_MONTHS, start=1)}
_MONTH_NAMES.update({name.replace(".", ""): number for number, name in enumerate(THAI_MONTHS_SHORT, start=1)})
_SEPARATED = re.compile(r"^(\d{1,4})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,4})$")
_NAMED = re.compile(r"^(\d{1,2})\s*([\u0E00-\u0E7F]+)\s*(\d{2}|\d{4})$")
_DIGITS_ONLY = re.compile(r"^(\d{2})(\d{2})(\d{2}|\d{4})$")


class DateInputError(ValueError):
    """What was typed is not a date the office could mean; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def parse_date_input(text, *, today):
    """The date meant by `text`, or None for an empty box; DateInputError when it is no such date."""
    typed = " ".join((text or "").translate(_ARABIC).split())
    if not typed:
        return None
    day, month, year = _parts(typed)
    year = year - BUDDHIST_ERA_OFFSET if year >= FIRST_BE_YEAR else year
    try:
        meant = date(year, month, day)
    except ValueError:
        raise DateInputError(_l("%(value)s is not a day of the calendar.", value=text.strip())) from None
    latest = today.year + YEARS_AHEAD
    if not EARLIEST_BE_YEAR - BUDDHIST_ERA_OFFSET <= meant.year <= latest:
        raise DateInputError(_l("The year must be between %(first)d and %(last)d (พ.ศ.).",
                                first=EARLIEST_BE_YEAR, last=latest + BUDDHIST_ERA_OFFSET))
    return meant


def _parts(typed):
    named = _NAMED.match(typed.replace(".", ""))
    if named and named.group(2) in _MONTH_NAMES:
        return int(named.group(1)), _MONTH_NAMES[named.group(2)], _year_digits(named.group(3))
    separated = _SEPARATED.match(typed)
    if separated:
        first, second, third = separated.groups()
        if len(first) == 4:  # year first: 2569-11-28
            return int(third), int(second), int(first)
        if len(first) <= 2 and len(third) in (2, 4):
            return int(first), int(second), _year_digits(third)
    digits = _DIGITS_ONLY.match(typed.replace(" ", ""))
    if digits:
        return int(digits.group(1)), int(digits.group(2)), _year_digits(digits.group(3))
    raise DateInputError(_l("%(value)s is not a date: type day/month/year (พ.ศ.), for example 28/11/2569.",
                            value=typed))


def _year_digits(text):
    """Two digits are the end of a Buddhist year of the 2500s: 69 is 2569."""
    return 2500 + int(text) if len(text) == 2 else int(text)


def format_date_input(value):
    """How a date goes back into a box: 28/11/2569."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BUDDHIST_ERA_OFFSET}" if value else ""
