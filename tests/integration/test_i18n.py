"""R1: Thai by default, English per user; Thai, English and mixed text round-trip unchanged."""
from datetime import date, datetime

from sqlalchemy import text

from app.extensions import db
from app.org.queries import user_by_username
from tests.factories import make_unit, make_user

MIXED_TEXT = "นางสาวกุลธิดา ก๊กเฮง Kunthida 😀 ฯลฯ ๑๒๓"  # tone marks, Thai digits, a 4-byte emoji


def test_thai_is_the_default_language(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="th">' in page and "เข้าสู่ระบบ" in page


def test_english_before_login_applies_to_the_login_page(client):
    client.post("/locale/en", data={"next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page


def test_a_users_language_is_kept_for_their_next_login(client, login):
    user = make_user()
    login(client, user)
    client.post("/locale/en", data={"next": "/"})
    assert "Home" in client.get("/").get_data(as_text=True)
    assert user.locale == "en"
    client.post("/logout")
    login(client, user)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    other = make_user()
    client.post("/logout")
    login(client, other)
    assert '<html lang="th">' in client.get("/").get_data(as_text=True)


def test_switching_language_never_redirects_off_site(client):
    response = client.post("/locale/en", data={"next": "//evil.example/"})
    assert response.location == "/"


def test_home_shows_the_date_in_the_buddhist_era(client, login):
    from app.core.thai_dates import THAI_MONTHS, buddhist_year, today_local

    login(client, make_user())
    today = today_local()
    assert f"{today.day} {THAI_MONTHS[today.month - 1]} {buddhist_year(today)}" in client.get("/").get_data(
        as_text=True)


def test_thai_english_and_4_byte_text_round_trip_through_forms_and_mariadb(client, login):
    login(client, make_user(roles=("admin",)))
    unit = make_unit()
    client.post("/admin/users/new", data={
        "username": "roundtrip", "password": "Phukradueng99", "full_name_th": MIXED_TEXT,
        "full_name_en": "Kunthida Kokheng", "position_title": "นักวิชาการ (IT) ระดับ ๓", "unit_id": unit.id})
    stored = db.session.execute(text("SELECT full_name_th, position_title FROM user WHERE username = 'roundtrip'"))
    assert tuple(stored.one()) == (MIXED_TEXT, "นักวิชาการ (IT) ระดับ ๓")
    user = user_by_username("roundtrip")
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert MIXED_TEXT in page


def test_the_database_and_connection_speak_utf8mb4(db_session):
    charset = db.session.execute(text("SELECT @@character_set_connection, @@character_set_database")).one()
    assert tuple(charset) == ("utf8mb4", "utf8mb4")
    table_collation = db.session.execute(text(
        "SELECT table_collation FROM information_schema.tables WHERE table_schema = DATABASE() "
        "AND table_name = 'user'")).scalar_one()
    assert table_collation == "utf8mb4_general_ci"


def test_thai_tone_marks_stay_distinct_in_comparisons(db_session):
    make_user(full_name_th="นายป่า ทดสอบ")
    matches = db.session.execute(text("SELECT COUNT(*) FROM user WHERE full_name_th LIKE '%ปา ทด%'")).scalar()
    assert matches == 0


def test_after_logout_the_login_page_stays_in_the_users_language(client, login):
    user = make_user()
    login(client, user)
    client.post("/locale/en", data={"next": "/"})
    page = client.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert '<html lang="en">' in page and "You have logged out." in page


def test_a_date_shown_from_a_stored_time_is_the_bangkok_date(app):
    """A letter received at 01:30 in Loei (18:30 UTC the day before) is stamped with the Loei date."""
    with app.test_request_context():
        display_date = app.jinja_env.filters["display_date"]
        assert display_date(datetime(2026, 12, 4, 18, 30)) == "5 ธ.ค. 2569"
        assert display_date(date(2026, 12, 4)) == "4 ธ.ค. 2569"
