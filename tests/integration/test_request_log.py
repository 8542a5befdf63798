"""Request logs carry the user and a request id, and never a password."""
import logging

from tests.factories import DEFAULT_PASSWORD, make_user


def test_request_log_names_user_and_request_id_without_secrets(client, login, caplog):
    user = make_user()
    with caplog.at_level(logging.INFO):
        login(client, user)
        response = client.get("/", headers={"X-Request-ID": "abc-123-def-456"})
    assert response.headers["X-Request-ID"] == "abc-123-def-456"
    request_lines = [r.getMessage() for r in caplog.records if r.name == "esaraban.request"]
    assert any(line.startswith("GET / 200") and f"user={user.username}" in line for line in request_lines)
    assert all(DEFAULT_PASSWORD not in r.getMessage() for r in caplog.records)


def test_a_forged_request_id_is_replaced(client):
    forged = "fake id <script>alert(1)</script>"
    response = client.get("/login", headers={"X-Request-ID": forged})
    assert response.headers["X-Request-ID"] != forged
    assert len(response.headers["X-Request-ID"]) == 32
