"""Settings are checked at start-up with a message that names the setting (issue: layout and start-up)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 40


def test_embedded_default_is_sqlite_under_instance_with_a_kept_secret_key(tmp_path):
    config = load_config({}, instance_path=tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/esaraban.sqlite3"
    assert config["EMBEDDED"] and config["REDIS_URL"] is None
    assert config["SESSION_COOKIE_SECURE"] is False
    assert load_config({}, instance_path=tmp_path)["SECRET_KEY"] == config["SECRET_KEY"]
    assert len(config["SECRET_KEY"]) >= 32


def test_mariadb_url_gets_utf8mb4_and_secure_cookies(tmp_path):
    config = load_config({"DATABASE_URL": "mysql+pymysql://u:p@db/esaraban", "SECRET_KEY": GOOD_KEY}, tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "mysql+pymysql://u:p@db/esaraban?charset=utf8mb4"
    assert config["SESSION_COOKIE_SECURE"] is True and config["EMBEDDED"] is False


@pytest.mark.parametrize("environ, message", [
    ({"DATABASE_URL": "postgresql://u@db/x"}, "DATABASE_URL must start with mysql+pymysql://"),
    ({"DATABASE_URL": "mysql+pymysql://u@db/x"}, "SECRET_KEY is required"),
    ({"DATABASE_URL": "mysql+pymysql://u@db/x?charset=latin1", "SECRET_KEY": GOOD_KEY}, "charset=utf8mb4"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 32 characters"),
    ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must start with redis://"),
    ({"SESSION_IDLE_MINUTES": "thirty"}, "SESSION_IDLE_MINUTES must be a whole number"),
    ({"SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES must be between 1 and 1440"),
    ({"COOKIE_SECURE": "maybe"}, "COOKIE_SECURE must be true or false"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be"),
    ({"SIGNING_CA_PASSPHRASE": "short"}, "SIGNING_CA_PASSPHRASE must be at least 16 characters"),
    ({"SIGNING_SEAL_PASSPHRASE": "short"}, "SIGNING_SEAL_PASSPHRASE must be at least 16 characters"),
])
def test_a_wrong_setting_is_named_with_what_it_expects(tmp_path, environ, message):
    with pytest.raises(ConfigError, match=message.replace("+", r"\+").replace("?", r"\?")):
        load_config(environ, tmp_path)


def test_settings_with_values_are_read(tmp_path):
    config = load_config({"SESSION_IDLE_MINUTES": "45", "LOGIN_MAX_FAILURES_PER_ACCOUNT": "3",
                          "REDIS_URL": "redis://127.0.0.1:6379/2", "MAX_UPLOAD_MB": "10"}, tmp_path)
    assert config["SESSION_IDLE_MINUTES"] == 45 and config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 3
    assert config["REDIS_URL"] == "redis://127.0.0.1:6379/2" and config["MAX_CONTENT_LENGTH"] == 10 * 2**20


def test_wsgi_start_up_stops_with_a_one_line_message(tmp_path):
    environ = {**os.environ, "DATABASE_URL": "mysql+pymysql://u@db/x", "INSTANCE_PATH": str(tmp_path)}
    environ.pop("SECRET_KEY", None)
    finished = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=environ, capture_output=True,
                              text=True, timeout=60)
    assert finished.returncode == 4  # gunicorn's 'app failed to load': it stops instead of looping
    assert finished.stderr.startswith("e-Saraban cannot start: SECRET_KEY is required")
    assert "Traceback" not in finished.stderr
