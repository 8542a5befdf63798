"""GET /healthz: 200 while the app can serve; the database, Redis and the job workers reported."""
import pytest

from app import create_app
from app.core.jobs import start_in_process_runner
from tests.conftest import IsolatedRequestClient, app_environ

CLOSED_PORT = "127.0.0.1:9"  # discard port: nothing listens there


def health(application):
    application.test_client_class = IsolatedRequestClient
    response = application.test_client().get("/healthz")
    return response.status_code, response.get_json()


def test_healthy_with_mariadb_and_redis(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["database"] == {"ok": True} and body["redis"] == {"ok": True}
    assert body["jobs"]["ok"] and body["jobs"]["runner"] == "rq" and isinstance(body["jobs"]["workers"], int)


@pytest.mark.own_database
def test_database_down_answers_503(redis_url):
    status, body = health(create_app(environ=app_environ(f"mysql+pymysql://x:y@{CLOSED_PORT}/none", redis_url)))
    assert status == 503
    assert body["status"] == "unavailable" and body["database"]["ok"] is False and body["redis"]["ok"]


@pytest.mark.own_database
def test_redis_down_still_serves_and_says_so(database_url):
    status, body = health(create_app(environ=app_environ(database_url, f"redis://{CLOSED_PORT}/0")))
    assert status == 200
    assert body["redis"]["ok"] is False and body["jobs"]["ok"] is False and body["database"]["ok"]


@pytest.mark.own_database
def test_embedded_default_reports_the_in_process_runner(tmp_path):
    # SWEEP_SECONDS: the periodic thread it starts must not wake during later tests
    application = create_app(environ={"DATABASE_URL": f"sqlite:///{tmp_path}/h.sqlite3", "SWEEP_SECONDS": "3600"})
    start_in_process_runner(application)
    status, body = health(application)
    assert status == 200
    assert body["redis"] == {"ok": True, "configured": False}
    assert body["jobs"] == {"ok": True, "runner": "in-process", "workers": 1, "alive": True}
