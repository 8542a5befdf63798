"""Settings read from the environment once, at start-up, and checked there.

A wrong or missing setting stops the app with a message that names the variable and says what it expects,
instead of failing later inside a request.
"""
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

EMBEDDED_DATABASE_FILE = "esaraban.sqlite3"
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(Exception):
    """A setting is missing or wrong; the message is meant for the person starting the app."""


@dataclass(frozen=True)
class _IntSetting:
    name: str
    default: int
    low: int
    high: int

    def read(self, environ):
        raw = environ.get(self.name, "").strip()
        if not raw:
            return self.default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{self.name} must be a whole number, got {raw!r}") from None
        if not self.low <= value <= self.high:
            raise ConfigError(f"{self.name} must be between {self.low} and {self.high}, got {value}")
        return value


INT_SETTINGS = (
    _IntSetting("SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
    _IntSetting("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, 1, 100),
    _IntSetting("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, 1, 10_000),
    _IntSetting("LOGIN_LOCKOUT_MINUTES", 15, 1, 24 * 60),
    _IntSetting("PROXY_COUNT", 0, 0, 5),
    _IntSetting("LINE_GROUP_SECONDS", 60, 0, 3600),   # other events for one person within it share a push
    _IntSetting("LINE_TIMEOUT_SECONDS", 10, 1, 120),
    _IntSetting("SWEEP_SECONDS", 30, 1, 3600),        # how often pending pushes and due dates are checked
    _IntSetting("DUE_SOON_DAYS", 1, 0, 30),           # "due soon" notice this many days before the due date
    _IntSetting("BACKUP_KEEP", 14, 1, 3650),          # archives `esaraban backup` keeps
    _IntSetting("SIGNING_PIN_MAX_FAILURES", 5, 1, 100),  # wrong signing PINs before the key is locked
    _IntSetting("SIGNING_PIN_LOCKOUT_MINUTES", 15, 1, 24 * 60),
    _IntSetting("SIGNING_CERTIFICATE_DAYS", 730, 1, 3650),  # a user certificate our CA issues
    _IntSetting("SIGNING_CRL_DAYS", 7, 1, 90),          # the CRL's nextUpdate; `flask signing refresh-crl`
    _IntSetting("VERIFY_UPLOAD_MAX_MB", 20, 1, 500),    # largest PDF the verify page checks
    _IntSetting("SIGNATURE_IMAGE_MAX_KB", 512, 16, 10_240),
)


# MariaDB/MySQL stop estimating IN lists row by row past eq_range_index_dive_limit ranges (200) and guess
# from index statistics instead; "these 281 units and these 7 open statuses" (1,967 ranges) then looked
# like most of the table, and a manager's dashboard scanned 1.3M handlings (0.9 s) instead of reading the
# 4,800 open ones (30 ms). 0 = always estimate.
SERVER_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_recycle": 3600,
                         "connect_args": {"init_command": "SET SESSION eq_range_index_dive_limit = 0"}}

def _read_bool(environ, name, default):
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _database_url(environ, instance_path):
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / EMBEDDED_DATABASE_FILE}", True
    if url.startswith("sqlite:///"):
        return url, True
    if url.startswith("mysql+pymysql://"):
        return _with_utf8mb4(url), False
    raise ConfigError(
        "DATABASE_URL must start with mysql+pymysql:// (MariaDB/MySQL) or sqlite:/// "
        f"(embedded default), got {url.split('://')[0]!r}://..."
    )


def _with_utf8mb4(url):
    if "charset=" in url:
        if "charset=utf8mb4" not in url:
            raise ConfigError("DATABASE_URL must use charset=utf8mb4 so Thai text and emoji survive")
        return url
    return url + ("&" if "?" in url else "?") + "charset=utf8mb4"


def _redis_url(environ):
    url = environ.get("REDIS_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"REDIS_URL must start with redis://, rediss:// or unix://, got {url!r}")
    return url or None


def _url(environ, name, default=""):
    url = environ.get(name, "").strip().rstrip("/") or default
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must start with http:// or https://, got {url!r}")
    return url


def _line_settings(environ):
    """LINE Messaging API: without a channel access token, notices stay in the app only."""
    token = environ.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
    secret = environ.get("LINE_CHANNEL_SECRET", "").strip()
    if token and not secret:
        raise ConfigError("LINE_CHANNEL_SECRET is required with LINE_CHANNEL_ACCESS_TOKEN "
                          "(the webhook checks LINE's signature with it)")
    return {
        "LINE_CHANNEL_ACCESS_TOKEN": token,
        "LINE_CHANNEL_SECRET": secret,
        "LINE_API_BASE": _url(environ, "LINE_API_BASE", "https://api.line.me"),
        "LINE_ACCESS_BASE": _url(environ, "LINE_ACCESS_BASE", "https://access.line.me"),
        "LINE_ADD_FRIEND_URL": _url(environ, "LINE_ADD_FRIEND_URL"),
    }


def _secret_key(environ, instance_path, embedded):
    key = environ.get("SECRET_KEY", "").strip()
    if key:
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters long")
        return key
    if not embedded:
        raise ConfigError("SECRET_KEY is required when DATABASE_URL points at MariaDB/MySQL "
                          "(generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))')")
    return _embedded_secret_key(Path(instance_path))


def _embedded_secret_key(instance_path):
    """The embedded default keeps a generated key in instance/ so sessions survive a restart."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / SECRET_KEY_FILE
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _key_passphrase(environ, name):
    """A passphrase that seals a private key (the CA's, the organisation's seal's: app/signing/ca.py,
    seal.py); empty means derived from SECRET_KEY."""
    passphrase = environ.get(name, "")
    if passphrase and len(passphrase) < 16:
        raise ConfigError(f"{name} must be at least 16 characters long (or unset: then it is derived from "
                          "SECRET_KEY)")
    return passphrase


def load_config(environ=None, instance_path="instance"):
    """Build the Flask config mapping from environment variables, raising ConfigError on bad input."""
    environ = os.environ if environ is None else environ
    database_url, embedded = _database_url(environ, instance_path)
    config = {setting.name: setting.read(environ) for setting in INT_SETTINGS}
    secure_cookies = _read_bool(environ, "COOKIE_SECURE", default=not embedded)
    config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS=SERVER_ENGINE_OPTIONS if not embedded else {},
        EMBEDDED=embedded,
        REDIS_URL=_redis_url(environ),
        SECRET_KEY=_secret_key(environ, instance_path, embedded),
        SESSION_COOKIE_SECURE=secure_cookies,
        REMEMBER_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="esaraban_session",
        BABEL_DEFAULT_LOCALE="th",
        BABEL_DEFAULT_TIMEZONE=environ.get("TIMEZONE", "Asia/Bangkok"),
        LOG_LEVEL=environ.get("LOG_LEVEL", "INFO").upper(),
        MAX_CONTENT_LENGTH=_IntSetting("MAX_UPLOAD_MB", 50, 1, 2048).read(environ) * 1024 * 1024,
        FILES_PATH=str(Path(environ.get("FILES_PATH", "").strip() or Path(instance_path) / "files")
                       .absolute()),
        BACKUP_PASSPHRASE=environ.get("BACKUP_PASSPHRASE", ""),
        SIGNING_CA_PASSPHRASE=_key_passphrase(environ, "SIGNING_CA_PASSPHRASE"),
        SIGNING_SEAL_PASSPHRASE=_key_passphrase(environ, "SIGNING_SEAL_PASSPHRASE"),
        BACKUP_PATH=str(Path(environ.get("BACKUP_PATH", "").strip() or Path(instance_path) / "backups")
                        .absolute()),
        WTF_CSRF_TIME_LIMIT=None,
        PUBLIC_BASE_URL=_url(environ, "PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        **_line_settings(environ),
    )
    if config["LOG_LEVEL"] not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {config['LOG_LEVEL']!r}")
    return config
