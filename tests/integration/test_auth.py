"""R5 login before every use, R6 own password change, throttling, idle timeout, forced change."""
from datetime import timedelta

from app.auth.models import LoginAttempt
from app.auth.services import LoginRefusal, ThrottlePolicy, attempt_login
from app.core.actor import Actor
from app.core.models import AuditEvent, utcnow
from app.extensions import db
from app.org import services as org_services
from tests.factories import DEFAULT_PASSWORD, make_user

POLICY = ThrottlePolicy(max_failures_per_account=3, max_failures_per_address=5, lockout=timedelta(minutes=15))


def test_every_page_needs_login_first(client):
    for path in ("/", "/admin/units", "/account/password"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/login")


def test_login_shows_the_thai_home_page(client, login):
    user = make_user(full_name_th="นางสาวมาลี ศรีสุข")
    response = login(client, user, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "นางสาวมาลี ศรีสุข" in page
    assert "หน้าแรก" in page and "ออกจากระบบ" in page
    assert '<html lang="th">' in page


def test_login_returns_to_the_page_asked_for_but_never_off_site(client, login):
    user = make_user(roles=("admin",))
    response = client.post("/login?next=/admin/users", data={"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.location == "/admin/users"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data={"username": user.username,
                                                                      "password": DEFAULT_PASSWORD})
    assert response.location == "/"


def test_a_line_break_in_next_sends_the_user_home_instead_of_an_error_page(client):
    """Issue 12 item 9: next= with CR/LF used to end in a 500 after a successful login."""
    user = make_user()
    response = client.post("/login?next=/documents%0D%0ASet-Cookie:%20evil=1",
                           data={"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert "evil" not in " ".join(response.headers.getlist("Set-Cookie"))
    assert client.get("/").status_code == 200  # logged in all the same
    switched = client.post("/locale/en", data={"next": "/\r\n/evil.example"})
    assert switched.status_code == 302 and switched.location == "/"


def test_wrong_password_is_refused_in_thai(client, login):
    user = make_user()
    response = login(client, user, password="not-the-password1")
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_username_pasted_with_an_invisible_character_still_logs_in(client):
    """Issue 12 item 9: a zero-width space or a bidi mark copied along with the name is not part of it."""
    user = make_user()
    response = client.post("/login", data={"username": f"\u200b{user.username}\u202c\x00",
                                           "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, login):
    response = login(client, "nobody-here", password="whatever1")
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, login, app):
    user = make_user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert login(client, user, password="wrong-pass1").status_code == 401
    response = login(client, user)
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้ง" in page and "15" in page
    assert client.get("/").status_code == 302


def test_account_lock_ends_after_the_lockout_period(db_session):
    user = make_user()
    start = utcnow()
    for minute in range(3):
        attempt_login(username=user.username, password="wrong-pass1", address="10.0.0.1", policy=POLICY,
                      now=start + timedelta(minutes=minute))
    locked = attempt_login(username=user.username, password=DEFAULT_PASSWORD, address="10.0.0.1",
                           policy=POLICY, now=start + timedelta(minutes=5))
    assert locked.refusal is LoginRefusal.ACCOUNT_LOCKED
    assert locked.retry_in_minutes == 10  # the first failure leaves the 15-minute window at minute 15
    later = attempt_login(username=user.username, password=DEFAULT_PASSWORD, address="10.0.0.1",
                          policy=POLICY, now=start + timedelta(minutes=16))
    assert later.user is not None


def test_a_success_resets_the_account_failure_count(db_session):
    user = make_user()
    now = utcnow()
    for _ in range(2):
        attempt_login(username=user.username, password="wrong-pass1", address="10.0.0.2", policy=POLICY, now=now)
    assert attempt_login(username=user.username, password=DEFAULT_PASSWORD, address="10.0.0.2",
                         policy=POLICY, now=now).user is not None
    for _ in range(2):
        attempt_login(username=user.username, password="wrong-pass1", address="10.0.0.2", policy=POLICY, now=now)
    assert attempt_login(username=user.username, password=DEFAULT_PASSWORD, address="10.0.0.2",
                         policy=POLICY, now=now).user is not None


def test_many_failures_from_one_address_block_that_address_for_every_account(db_session):
    users = [make_user() for _ in range(3)]
    now = utcnow()
    for user in users[:2]:
        for _ in range(2):
            attempt_login(username=user.username, password="wrong-pass1", address="10.9.9.9", policy=POLICY,
                          now=now)
    attempt_login(username="ghost", password="wrong-pass1", address="10.9.9.9", policy=POLICY, now=now)
    blocked = attempt_login(username=users[2].username, password=DEFAULT_PASSWORD, address="10.9.9.9",
                            policy=POLICY, now=now)
    assert blocked.refusal is LoginRefusal.ADDRESS_LOCKED
    elsewhere = attempt_login(username=users[2].username, password=DEFAULT_PASSWORD, address="10.1.1.1",
                              policy=POLICY, now=now)
    assert elsewhere.user is not None


def test_every_attempt_is_recorded_without_the_password(db_session):
    user = make_user()
    attempt_login(username=user.username, password="Secret-typo-9", address="10.0.0.3", policy=POLICY)
    rows = db.session.query(LoginAttempt).filter_by(username=user.username).all()
    assert [(r.address, r.succeeded) for r in rows] == [("10.0.0.3", False)]
    assert "Secret-typo-9" not in repr(vars(rows[0]))


def test_logout_ends_the_session(client, login):
    login(client, make_user())
    assert client.get("/").status_code == 200
    response = client.post("/logout", follow_redirects=True)
    assert "ออกจากระบบเรียบร้อยแล้ว" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


SESSION_COOKIE = "esaraban_session"


def test_a_session_cookie_replayed_after_logout_gets_the_login_page_and_no_data(client, other_client, login):
    """Issue 12 item 7: the cookie is signed, not stored, so logout must end the session on the server."""
    user = make_user(full_name_th="นายสมปอง รักษ์ราชการ")
    login(client, user)
    assert "นายสมปอง รักษ์ราชการ" in client.get("/").get_data(as_text=True)
    stolen = client.get_cookie(SESSION_COOKIE).value
    client.post("/logout")

    other_client.set_cookie(SESSION_COOKIE, stolen)  # someone who copied the cookie before the logout
    for path in ("/", "/notifications", "/account/line"):
        response = other_client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login"), path
    page = other_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "นายสมปอง รักษ์ราชการ" not in page and 'name="password"' in page


def test_logging_out_on_one_device_leaves_the_users_other_sessions_logged_in(client, other_client, login):
    user = make_user()
    login(client, user)
    login(other_client, user)
    client.post("/logout")
    assert client.get("/").status_code == 302
    assert other_client.get("/").status_code == 200
    assert login(client, user).status_code == 302 and client.get("/").status_code == 200  # and in again


def test_idle_session_is_logged_out(client, login, app):
    login(client, make_user())
    with client.session_transaction() as session:
        session["last_seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 1
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert client.get("/").status_code == 302


def test_active_session_is_kept(client, login, app):
    login(client, make_user())
    with client.session_transaction() as session:
        session["last_seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 - 60
    assert client.get("/").status_code == 200


def change_password(client, current, new, confirm=None):
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                   "confirm_password": confirm or new})


def test_user_changes_own_password_and_logs_in_with_it(client, login):
    user = make_user()
    login(client, user)
    response = change_password(client, DEFAULT_PASSWORD, "Phukradueng99")
    assert response.status_code == 302
    client.post("/logout")
    assert login(client, user).status_code == 401
    assert login(client, user, password="Phukradueng99").status_code == 302
    assert db_audit_actions(user) == ["user.create", "user.password_change"]


def db_audit_actions(user):
    return [e.action for e in db.session.query(AuditEvent).filter_by(subject_type="user", subject_id=user.id)
            .order_by(AuditEvent.id)]


def test_password_change_requires_the_current_password(client, login):
    user = make_user()
    login(client, user)
    response = change_password(client, "wrong-current1", "Phukradueng99")
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in response.get_data(as_text=True)
    client.post("/logout")
    assert login(client, user).status_code == 302  # the old password still works


def test_password_change_refuses_weak_and_unchanged_passwords(client, login):
    user = make_user(username="somsri")
    login(client, user)
    cases = {"short1": "อย่างน้อย 8", "onlyletters": "ตัวเลข", "somsri2569": "ชื่อผู้ใช้",
             DEFAULT_PASSWORD: "ต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน"}
    for new_password, expected in cases.items():
        page = change_password(client, DEFAULT_PASSWORD, new_password).get_data(as_text=True)
        assert expected in page, new_password
    mismatch = change_password(client, DEFAULT_PASSWORD, "Phukradueng99", confirm="Phukradueng98")
    assert mismatch.status_code == 200
    client.post("/logout")
    assert login(client, user).status_code == 302


def test_password_change_ends_the_users_other_sessions(client, other_client, login):
    user = make_user()
    login(client, user)
    login(other_client, user)
    change_password(client, DEFAULT_PASSWORD, "Phukradueng99")
    assert client.get("/").status_code == 200
    assert other_client.get("/").status_code == 302


def test_admin_reset_forces_a_change_at_next_login(client, login):
    admin = make_user(roles=("admin",))
    user = make_user()
    login(client, admin)
    page = client.post(f"/admin/users/{user.id}/reset-password").get_data(as_text=True)
    temporary = page.split('app-temporary-password">')[1].split("<")[0].strip()
    client.post("/logout")

    assert login(client, user).status_code == 401
    assert login(client, user, password=temporary).status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response.location == "/account/password"
    assert client.get("/admin/units").location == "/account/password"
    change_password(client, temporary, "Phukradueng99")
    assert client.get("/").status_code == 200


def test_deactivated_user_cannot_log_in_and_loses_open_sessions(client, other_client, login):
    admin = make_user(roles=("admin",))
    user = make_user()
    login(other_client, user)
    login(client, admin)
    client.post(f"/admin/users/{user.id}/active/0")
    assert other_client.get("/").status_code == 302
    assert login(other_client, user).status_code == 401


def test_passwords_are_stored_as_scrypt_hashes(db_session):
    user = make_user()
    assert user.password_hash.startswith("scrypt:")
    assert DEFAULT_PASSWORD not in user.password_hash


def test_a_system_actor_change_is_audited_without_a_user(db_session):
    user = make_user()
    org_services.set_user_active(Actor.system("cli"), user, False)
    db.session.commit()
    event = db.session.query(AuditEvent).filter_by(action="user.deactivate").one()
    assert event.actor_id is None and event.address == "cli"
