"""The audit trail is append-only and hash-chained: `flask audit verify` names the first event that was
altered, removed or slipped in, and concurrent writers extend one chain instead of forking it."""
import threading

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core import audit
from app.core.actor import Actor
from app.core.models import AuditChainHead, AuditEvent, utcnow
from app.extensions import db
from app.org import services
from tests.conftest import app_environ, build_schema, recreate_database
from tests.factories import SYSTEM, make_unit, make_user


def events():
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def tamper(sql, **params):
    db.session.execute(text(sql), params)
    db.session.commit()


def insert_bypassing_the_trail(at, prev_hash=""):
    """An event written by raw SQL, as before the chain existed or by someone going around `record`."""
    tamper("INSERT INTO audit_event (at, action, subject_type, subject_id, detail, address, request_id, "
           "prev_hash, row_hash) VALUES (:at, 'unit.create', 'unit', 1, '{}', '', '', :prev_hash, '')",
           at=at, prev_hash=prev_hash)
    return events()[-1]


@pytest.fixture
def chain(db_session):
    """Five events written by the org services, oldest first."""
    unit = make_unit(name_th="กองตรวจสอบสายโซ่")
    services.update_unit(SYSTEM, unit, name_th="กองตรวจสอบสายโซ่ใหม่", name_en="Chain", letter_code="ลย 1",
                         kind="division")
    db.session.commit()
    make_user(unit=unit)
    services.set_unit_active(SYSTEM, make_unit(), False)
    db.session.commit()
    assert len(events()) == 5
    return events()


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_service_changes_form_one_verified_chain(chain):
    assert chain[0].prev_hash == ""
    assert all(event.prev_hash == before.row_hash for before, event in zip(chain, chain[1:]))
    assert all(len(event.row_hash) == 64 and event.at.microsecond == 0 for event in chain)
    head = db.session.get(AuditChainHead, audit.HEAD_ID)
    assert (head.last_event_id, head.last_hash) == (chain[-1].id, chain[-1].row_hash)
    assert audit.verify_chain() is None
    assert audit.verify_chain(batch_size=2) is None


def test_a_hash_recomputed_from_the_stored_row_matches(chain):
    db.session.expire_all()
    assert [audit.event_hash(event) for event in events()] == [event.row_hash for event in chain]


def test_a_rolled_back_event_leaves_a_gap_in_the_ids_but_not_in_the_chain(chain):
    make_unit()
    audit.record(SYSTEM, "unit.probe", "unit", 1)
    db.session.rollback()
    audit.record(SYSTEM, "unit.probe", "unit", 2, note="after the rollback")
    db.session.commit()
    assert audit.verify_chain() is None


def test_an_altered_detail_is_reported_at_that_event(chain):
    tamper("UPDATE audit_event SET detail = :detail WHERE id = :id", detail='{"name_th": "ปลอม"}',
           id=chain[2].id)
    broken = audit.verify_chain(batch_size=2)
    assert broken.event_id == chain[2].id and broken.reason.startswith("row altered")


def test_an_altered_time_or_actor_is_reported(chain):
    tamper("UPDATE audit_event SET at = at + INTERVAL 1 SECOND WHERE id = :id", id=chain[1].id)
    tamper("UPDATE audit_event SET actor_id = :user WHERE id = :id", user=make_user().id, id=chain[3].id)
    assert audit.verify_chain().event_id == chain[1].id


def test_an_altered_prev_hash_is_reported_at_that_event(chain):
    tamper("UPDATE audit_event SET prev_hash = :h WHERE id = :id", h="0" * 64, id=chain[3].id)
    broken = audit.verify_chain()
    assert broken.event_id == chain[3].id and broken.reason.startswith("row altered")


def test_a_deleted_middle_event_is_reported_at_the_next_one(chain):
    tamper("DELETE FROM audit_event WHERE id = :id", id=chain[2].id)
    broken = audit.verify_chain()
    assert broken.event_id == chain[3].id and broken.reason.startswith("link broken")


def test_a_deleted_first_event_is_reported(chain):
    tamper("DELETE FROM audit_event WHERE id = :id", id=chain[0].id)
    assert audit.verify_chain().event_id == chain[1].id


def test_a_deleted_last_event_is_reported_through_the_head(chain):
    last_id = chain[-1].id
    tamper("DELETE FROM audit_event WHERE id = :id", id=last_id)
    broken = audit.verify_chain()
    assert broken.event_id == last_id and broken.reason.startswith("missing")


def test_an_event_inserted_outside_the_trail_is_reported(chain):
    inserted = insert_bypassing_the_trail(chain[-1].at, prev_hash=chain[-1].row_hash)
    assert audit.verify_chain().event_id == inserted.id
    tamper("UPDATE audit_event SET row_hash = :h WHERE id = :id", h=audit.event_hash(inserted),
           id=inserted.id)
    broken = audit.verify_chain()
    assert broken.event_id == inserted.id and broken.reason.startswith("not in the chain head")


def test_events_written_before_the_chain_are_counted_but_not_chained(db_session):
    for _ in range(2):
        insert_bypassing_the_trail(utcnow())
    make_unit()
    make_unit()
    assert audit.verify_chain() is None
    total, unchained, last_hash = audit.chain_summary()
    assert (total, unchained, last_hash) == (4, 2, events()[-1].row_hash)


def test_an_empty_trail_is_intact(db_session):
    assert audit.verify_chain() is None
    assert audit.chain_summary() == (0, 0, "")


def test_cli_reports_an_intact_trail(chain, cli):
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"Audit trail intact: 5 events, last hash {chain[-1].row_hash}" in result.output


def test_cli_reports_the_first_broken_event_and_fails(chain, cli):
    tamper("UPDATE audit_event SET address = '10.0.0.66' WHERE id = :id", id=chain[1].id)
    tamper("UPDATE audit_event SET address = '10.0.0.66' WHERE id = :id", id=chain[4].id)
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert result.output.startswith(f"Audit trail broken at event #{chain[1].id}: row altered")


# ---- concurrent writers, on a database of its own (they must commit) -----------------------------------

@pytest.fixture
def own_app(database_url):
    url = make_url(database_url)
    own_url = url.set(database=url.database + "_audit").render_as_string(hide_password=False)
    recreate_database(own_url)
    application = create_app({"TESTING": True}, environ=app_environ(own_url))
    build_schema(application)
    yield application
    with application.app_context():
        db.engine.dispose()
    server = create_engine(url.set(database=""), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS `{make_url(own_url).database}`"))
    server.dispose()


def append_events(application, label, count, start, errors):
    try:
        with application.app_context():
            start.wait()
            for number in range(count):
                audit.record(Actor.system(label), "probe.append", "probe", number, writer=label)
                db.session.commit()
    except Exception as error:  # noqa: BLE001  reported by the test, not lost in the thread
        errors.append(error)


@pytest.mark.own_database
def test_concurrent_writers_extend_one_unbroken_chain(own_app):
    start, errors = threading.Barrier(2), []
    writers = [threading.Thread(target=append_events, args=(own_app, label, 50, start, errors))
               for label in ("writer-a", "writer-b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert errors == []
    with own_app.app_context():
        assert audit.verify_chain() is None
        assert audit.chain_summary()[0] == 100
        prev_hashes = db.session.scalars(select(AuditEvent.prev_hash)).all()
        assert len(set(prev_hashes)) == 100  # no two events follow the same one: the chain did not fork
