"""Issue 13 item 3: a new system's first run makes its top unit and first administrator once, with a
one-time password that must be changed; the installer calls it on every run."""
import pytest
from sqlalchemy import select

from app.auth.passwords import verify_password
from app.extensions import db
from app.org.models import Unit, User
from tests.conftest import committed_app

pytestmark = pytest.mark.own_database


@pytest.fixture
def new_system():
    with committed_app("_setup") as application:
        yield application


def test_the_first_run_makes_the_organisation_and_an_admin_once(new_system):
    runner = new_system.test_cli_runner()

    first = runner.invoke(args=["setup", "--org-name", "องค์การบริหารส่วนจังหวัดเลย", "--letter-code", "ลย 51001"])
    again = runner.invoke(args=["setup", "--org-name", "อื่น", "--letter-code", "ลย 1"])

    assert first.exit_code == 0 and "One-time password" in first.output
    password = first.output.split("One-time password: ")[1].split()[0]
    assert again.exit_code == 0 and "Already set up: องค์การบริหารส่วนจังหวัดเลย" in again.output
    with new_system.app_context():
        [unit] = db.session.scalars(select(Unit)).all()
        [admin] = db.session.scalars(select(User)).all()
        assert (unit.name_th, unit.letter_code, unit.parent_id) == ("องค์การบริหารส่วนจังหวัดเลย", "ลย 51001", None)
        assert admin.username == "admin" and admin.must_change_password
        assert verify_password(admin.password_hash, password)


def test_a_new_system_without_a_name_is_told_what_to_give(new_system):
    result = new_system.test_cli_runner().invoke(args=["setup"])

    assert result.exit_code == 1 and "--org-name" in result.output
    with new_system.app_context():
        assert db.session.scalars(select(User)).all() == []
