"""Dates as Thai officials write them: Buddhist Era years, Thai month names, optionally Thai digits."""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

BUDDHIST_ERA_OFFSET = 543

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                     "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
ENGLISH_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def buddhist_year(value):
    return value.year + BUDDHIST_ERA_OFFSET


def thai_digits(text):
    return str(text).translate(_THAI_DIGITS)


def to_local(value, timezone_name):
    """A stored naive-UTC datetime as local wall time; dates pass through."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(ZoneInfo(timezone_name))
    return value


def format_date(value, locale="th", long=False, digits="arabic"):
    """23 พ.ย. 2569 / 23 พฤศจิกายน 2569 in Thai; 23 Nov 2026 in English."""
    if value is None:
        return ""
    if locale != "th":
        return f"{value.day} {ENGLISH_MONTHS_SHORT[value.month - 1]} {value.year}"
    months = THAI_MONTHS if long else THAI_MONTHS_SHORT
    text = f"{value.day} {months[value.month - 1]} {buddhist_year(value)}"
    return thai_digits(text) if digits == "thai" else text


def format_datetime(value, locale="th", timezone_name="Asia/Bangkok"):
    """23 พ.ย. 2569 14:05 น. in Thai; 23 Nov 2026 14:05 in English; local time."""
    if value is None:
        return ""
    return f"{format_date(to_local(value, timezone_name), locale)} {format_time(value, locale, timezone_name)}"


def format_time(value, locale="th", timezone_name="Asia/Bangkok"):
    """14:05 น. in Thai; 14:05 in English; local time."""
    if value is None:
        return ""
    clock = f"{to_local(value, timezone_name):%H:%M}"
    return f"{clock} น." if locale == "th" else clock


def format_duration(value, locale="th"):
    """A wait as people say it: 2 วัน 3 ชม. / 45 นาที / ไม่ถึง 1 นาที; in English 2 d 3 h / 45 min."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    units = (("วัน", "ชม.", "นาที") if locale == "th" else ("d", "h", "min"))
    parts = [f"{n} {unit}" for n, unit in zip((days, hours, mins), units) if n][:2]
    if not parts:
        return "ไม่ถึง 1 นาที" if locale == "th" else "under 1 min"
    return " ".join(parts)


def local_midnight_utc(day, timezone_name="Asia/Bangkok"):
    """The start of a local calendar day as the naive-UTC datetimes we store."""
    return datetime.combine(day, time(), ZoneInfo(timezone_name)).astimezone(timezone.utc).replace(tzinfo=None)


def today_local(timezone_name="Asia/Bangkok"):
    return datetime.now(ZoneInfo(timezone_name)).date()
