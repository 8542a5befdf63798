"""Dates as Thai officials write them (R1): Buddhist Era, Thai month names, Thai digits."""
from datetime import date, datetime


from app.core.thai_dates import format_date, format_datetime, thai_digits


def test_thai_dates_use_the_buddhist_era_and_thai_month_names():
    assert format_date(date(2026, 11, 23)) == "23 พ.ย. 2569"
    assert format_date(date(2026, 11, 23), long=True) == "23 พฤศจิกายน 2569"
    assert format_date(date(2027, 1, 1), long=True) == "1 มกราคม 2570"


def test_official_documents_can_use_thai_digits():
    assert format_date(date(2026, 4, 13), long=True, digits="thai") == "๑๓ เมษายน ๒๕๖๙"
    assert thai_digits("ลย 51001/123") == "ลย ๕๑๐๐๑/๑๒๓"


def test_english_dates_stay_in_the_common_era():
    assert format_date(date(2026, 11, 23), locale="en") == "23 Nov 2026"


def test_stored_utc_times_are_shown_in_bangkok_time():
    late_evening_utc = datetime(2026, 12, 31, 18, 30)  # 01:30 on 1 January in Bangkok
    assert format_datetime(late_evening_utc) == "1 ม.ค. 2570 01:30 น."
    assert format_datetime(late_evening_utc, locale="en") == "1 Jan 2027 01:30"


def test_empty_values_show_nothing():
    assert format_date(None) == "" and format_datetime(None) == ""


def test_waits_are_shown_as_people_say_them():
    from datetime import timedelta

    from app.core.thai_dates import format_duration

    assert format_duration(timedelta(days=2, hours=3, minutes=5)) == "2 วัน 3 ชม."
    assert format_duration(timedelta(minutes=45)) == "45 นาที"
    assert format_duration(timedelta(seconds=20)) == "ไม่ถึง 1 นาที"
    assert format_duration(timedelta(hours=1, minutes=30), locale="en") == "1 h 30 min"
