"""Fixtures shared by every test.

Integration tests run on the private MariaDB and Redis that `make test` starts (TEST_DATABASE_URL,
TEST_REDIS_URL). Each test runs inside one outer transaction that is rolled back at its end; every session
(the test's and each request's) works on that one connection through savepoints.
"""
import contextlib
import contextvars
import os
from pathlib import Path
import re
import tempfile

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="esaraban-test-instance-"))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

REQUIRE_SERVICES = os.environ.get("ESARABAN_REQUIRE_SERVICES") == "1"
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"


def service_url(name):
    """A service's URL from the environment; TEST_DB_SUFFIX keeps parallel runs on separate databases."""
    url = os.environ.get(name)
    if not url:
        message = f"{name} is not set: run the suite with `make test`"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    suffix = os.environ.get("TEST_DB_SUFFIX", "")
    if suffix and url.startswith("mysql"):
        parsed = make_url(url)
        url = parsed.set(database=parsed.database + suffix).render_as_string(hide_password=False)
    return url


def sibling_database_url(suffix):
    """The test database URL with `suffix` added to its database name, for tests needing committed data."""
    parsed = make_url(service_url("TEST_DATABASE_URL"))
    return parsed.set(database=parsed.database + suffix).render_as_string(hide_password=False)


def recreate_database(url):
    """Drop and create the database named in `url` with the project's character set (a new file for the
    embedded SQLite default)."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        Path(url.database).unlink(missing_ok=True)
        return
    server = create_engine(url.set(database=""), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS `{url.database}`"))
        connection.execute(text(f"CREATE DATABASE `{url.database}` CHARACTER SET utf8mb4 "
                                "COLLATE utf8mb4_general_ci"))
    server.dispose()


@contextlib.contextmanager
def committed_app(suffix, *, with_schema=True, **settings):
    """An app on a database of its own (the test database's name + `suffix`), made anew, for tests that need
    committed data or several connections; `settings` are extra environment variables."""
    url = sibling_database_url(suffix)
    recreate_database(url)
    application = create_app(environ=app_environ(url, service_url("TEST_REDIS_URL"), **settings))
    if with_schema:
        build_schema(application)
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def app_environ(database_url, redis_url=None, **extra):
    environ = {"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET_KEY, "COOKIE_SECURE": "false",
               "LOG_LEVEL": "INFO"}
    if redis_url:
        environ["REDIS_URL"] = redis_url
    environ.update(extra)
    return environ


def build_schema(app):
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


class IsolatedRequestClient(FlaskClient):
    """Each request runs in a fresh context, as in production: its own app context, `g` and session.

    Without this, a request made while the test holds an app context would reuse it and see the previous
    request's `g` (and so its logged-in user).
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        from flask import has_app_context

        if has_app_context():
            db.session.expire_all()  # the test's own objects reload what the request changed
        return response


@pytest.fixture(scope="session")
def redis_url():
    return service_url("TEST_REDIS_URL")


@pytest.fixture(scope="session")
def database_url():
    url = service_url("TEST_DATABASE_URL")
    recreate_database(url)
    return url


@pytest.fixture(scope="session")
def app(database_url, redis_url):
    application = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False},
                             environ=app_environ(database_url, redis_url))
    application.test_client_class = IsolatedRequestClient
    build_schema(application)
    return application


@pytest.fixture
def db_session(app):
    """One outer transaction per test, rolled back at the end; commits inside only release savepoints."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=original.registry.scopefunc)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def other_client(app, db_session):
    return app.test_client()


def csrf_token_from(html):
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    return match.group(1) if match else None
