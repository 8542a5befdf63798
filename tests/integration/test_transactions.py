"""Issue 17 item 3: a change the database rolled back as a deadlock's victim is run again, once it is safe
to; any other failure is not retried."""
import pytest
from sqlalchemy.exc import OperationalError

from app.core import transactions
from app.extensions import db
from app.org.models import Unit
from tests.factories import make_unit


def deadlock():
    return OperationalError("UPDATE line_push ...", {}, Exception(1213, "Deadlock found when trying to get lock"))


def test_a_deadlock_victim_is_run_again_and_kept(monkeypatch):
    monkeypatch.setattr(transactions.time, "sleep", lambda seconds: None)
    unit, tries = make_unit(name_th="กองทดลองซ้ำ"), []

    def rename():
        tries.append(1)
        db.session.get(Unit, unit.id).name_th = f"กองทดลองซ้ำครั้งที่ {len(tries)}"
        if len(tries) == 1:
            raise deadlock()
        return "done"

    assert transactions.commit(rename) == "done" and len(tries) == 2
    assert db.session.get(Unit, unit.id).name_th == "กองทดลองซ้ำครั้งที่ 2"


def test_it_gives_up_after_the_last_attempt_and_other_errors_are_not_retried(monkeypatch):
    monkeypatch.setattr(transactions.time, "sleep", lambda seconds: None)
    tries = []

    def always_deadlocked():
        tries.append(1)
        raise deadlock()

    with pytest.raises(OperationalError):
        transactions.commit(always_deadlocked)
    assert len(tries) == transactions.ATTEMPTS
    tries.clear()

    def lost_connection():
        tries.append(1)
        raise OperationalError("SELECT 1", {}, Exception(2013, "Lost connection to MySQL server"))

    with pytest.raises(OperationalError):
        transactions.commit(lost_connection)
    assert len(tries) == 1
