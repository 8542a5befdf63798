import pytest

from tests.conftest import csrf_token_from
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture(autouse=True)
def _transaction_per_test(request):
    """Every integration test runs in a transaction rolled back at its end, except those that build an app
    on a database of their own (marked own_database): they must not see the shared test session."""
    if request.node.get_closest_marker("own_database") is None:
        request.getfixturevalue("db_session")
    yield


@pytest.fixture
def forget_pin_locks():
    """Wrong signing PINs are counted outside the test's transaction (that is the point): cleared after."""
    yield
    from sqlalchemy import delete

    from app.extensions import db
    from app.signing.models import SigningPinLock

    with db.engine.begin() as connection:
        connection.execute(delete(SigningPinLock))


@pytest.fixture
def login():
    def log_in(client, user_or_name, password=DEFAULT_PASSWORD, follow_redirects=False):
        username = getattr(user_or_name, "username", user_or_name)
        return client.post("/login", data={"username": username, "password": password},
                           follow_redirects=follow_redirects)

    return log_in


__all__ = ["csrf_token_from"]
