"""Headers, cookies, CSRF, and error pages that never show a stack trace."""
import re

import pytest

from app import create_app
from app.core.models import AuditEvent
from app.extensions import db
from tests.conftest import IsolatedRequestClient, csrf_token_from, app_environ
from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture
def csrf_app(database_url, redis_url, db_session):
    """The app as in production: CSRF on, secure cookies."""
    application = create_app({"TESTING": True}, environ=app_environ(database_url, redis_url,
                                                                      COOKIE_SECURE="true"))
    application.test_client_class = IsolatedRequestClient
    return application


def test_security_headers_on_every_page(client, login):
    login(client, make_user(roles=("admin",)))
    for path in ("/login", "/", "/admin/units", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_pages_carry_no_inline_script(client, login):
    admin = make_user(roles=("admin",))
    login(client, admin)
    for path in ("/", "/admin/units", "/admin/users", "/admin/users/new", f"/admin/users/{admin.id}",
                 "/admin/delegations", "/account/password"):
        page = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
        assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts), path
        assert not re.search(r"\son[a-z]+=", page), path  # no inline event handlers


def test_session_cookie_flags(csrf_app, db_session):
    user = make_user()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "username": user.username,
                                           "password": DEFAULT_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(csrf_app, db_session):
    user = make_user()
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "แบบฟอร์มนี้หมดอายุแล้ว" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_admin_post_without_csrf_token_changes_nothing(csrf_app, db_session):
    admin = make_user(roles=("admin",))
    victim = make_user()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": token, "username": admin.username, "password": DEFAULT_PASSWORD})
    response = client.post(f"/admin/users/{victim.id}/active/0")
    assert response.status_code == 400
    assert victim.is_active
    assert db.session.query(AuditEvent).filter_by(action="user.deactivate").count() == 0


def test_an_unexpected_error_shows_a_thai_page_without_a_trace(database_url, redis_url, db_session):
    application = create_app({"TESTING": False}, environ=app_environ(database_url, redis_url))
    application.test_client_class = IsolatedRequestClient

    @application.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = application.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "ข้อมูลยังไม่ได้รับการบันทึก" in page
    assert "Traceback" not in page and "secret internal detail" not in page


def test_not_found_page_is_thai(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404 and "ไม่พบหน้า" in response.get_data(as_text=True)
