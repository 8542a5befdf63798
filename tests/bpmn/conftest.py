"""The flows in bpmn/, run on MariaDB inside the shared per-test transaction (see tests/conftest.py)."""
import pytest

from tests.factories import make_unit, make_user


@pytest.fixture(autouse=True)
def _transaction_per_test(db_session):
    yield


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def clerk(unit):
    return make_user(unit=unit, roles=("clerk",))
