"""Register numbers (R9, R15-R17): gap-free, never duplicated under concurrency, restart each year, and a
document registered again in the same register keeps its number (R16)."""
import threading
from datetime import datetime

import pytest
from sqlalchemy import select

from app import create_app
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.registry import services as registry
from app.registry.models import Direction, RegisterEntry
from tests.conftest import app_environ, build_schema, recreate_database, service_url, sibling_database_url
from tests.factories import make_unit, make_user


def document_type(code="external"):
    return db.session.scalar(select(DocumentType).where(DocumentType.code == code))


def new_document(actor, unit, subject="ขอความอนุเคราะห์ข้อมูล"):
    return create_document(actor, owner_unit=unit, details=DocumentDetails(type=document_type(), subject=subject))


@pytest.fixture
def clerk():
    unit = make_unit(letter_code="ลย 51077")
    return Actor(user=make_user(unit=unit, roles=("clerk",))), unit


def test_numbers_run_from_one_in_order(clerk):
    actor, unit = clerk
    register = registry.default_register(unit, Direction.RECEIVE)
    numbers = [registry.issue_number(actor, register, new_document(actor, unit)).number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_numbers_restart_at_one_in_a_new_calendar_year_in_bangkok_time(clerk):
    actor, unit = clerk
    register = registry.default_register(unit, Direction.RECEIVE)
    late_2026 = registry.issue_number(actor, register, new_document(actor, unit), at=datetime(2026, 12, 31, 16, 0))
    # 17:30 UTC on 31 December is 00:30 on 1 January in Bangkok: the new year's register
    early_2027 = registry.issue_number(actor, register, new_document(actor, unit), at=datetime(2026, 12, 31, 17, 30))
    assert (late_2026.year, late_2026.number) == (2026, 1)
    assert (early_2027.year, early_2027.number) == (2027, 1)


def test_a_register_that_never_restarts_keeps_counting(clerk):
    actor, unit = clerk
    register = registry.create_register(actor, unit=unit, code="all-years", direction="send",
                                        name_th="ทะเบียนต่อเนื่อง", yearly_reset=False)
    first = registry.issue_number(actor, register, new_document(actor, unit), at=datetime(2026, 6, 1))
    second = registry.issue_number(actor, register, new_document(actor, unit), at=datetime(2027, 6, 1))
    assert (first.number, second.number) == (1, 2)


def test_registering_the_same_document_again_keeps_its_number_and_both_receipts(clerk):
    actor, unit = clerk
    register = registry.default_register(unit, Direction.RECEIVE)
    document = new_document(actor, unit)
    other = new_document(actor, unit)
    first = registry.issue_number(actor, register, document, at=datetime(2026, 3, 1, 3, 0))
    registry.issue_number(actor, register, other)
    again = registry.issue_number(actor, register, document, at=datetime(2026, 3, 9, 4, 0),
                                  counterpart_text="กลับมาจากกองคลัง")
    assert again.id == first.id and again.number == 1
    assert [r.at for r in again.registrations] == [datetime(2026, 3, 1, 3, 0), datetime(2026, 3, 9, 4, 0)]
    assert again.registrations[1].by_id == actor.user_id


def test_a_cancelled_number_stays_and_is_never_given_again(clerk):
    actor, unit = clerk
    register = registry.default_register(unit, Direction.RECEIVE)
    document = new_document(actor, unit)
    entry = registry.issue_number(actor, register, document)
    registry.cancel_number(actor, entry, "ลงรับผิดเรื่อง")
    with pytest.raises(BusinessRuleError):
        registry.cancel_number(actor, entry, "ซ้ำ")
    later = registry.issue_number(actor, register, document)
    assert later.number == 2 and entry.is_cancelled and entry.cancel_reason == "ลงรับผิดเรื่อง"
    numbers = db.session.scalars(select(RegisterEntry.number).where(RegisterEntry.register_id == register.id))
    assert sorted(numbers) == [1, 2]


def test_cancelling_needs_a_reason(clerk):
    actor, unit = clerk
    entry = registry.issue_number(actor, registry.default_register(unit, "receive"), new_document(actor, unit))
    with pytest.raises(BusinessRuleError):
        registry.cancel_number(actor, entry, "  ")
    assert not entry.is_cancelled


def test_a_mid_year_go_live_starts_where_the_paper_register_stopped(clerk):
    actor, unit = clerk
    register = registry.default_register(unit, Direction.RECEIVE)
    registry.set_starting_number(actor, register, year=2026, first_number=120)
    entry = registry.issue_number(actor, register, new_document(actor, unit), at=datetime(2026, 7, 1))
    assert entry.number == 120
    with pytest.raises(BusinessRuleError):
        registry.set_starting_number(actor, register, year=2026, first_number=50)


def test_outgoing_numbers_carry_the_units_letter_code_and_a_circulars_prefix(clerk):
    actor, unit = clerk
    send = registry.default_register(unit, Direction.SEND)
    circulars = registry.create_register(actor, unit=unit, code="circular", direction="send",
                                         name_th="ทะเบียนหนังสือเวียน", prefix="ว",
                                         document_type=document_type("circular"))
    entry = registry.issue_number(actor, send, new_document(actor, unit))
    circular_entry = registry.issue_number(actor, circulars, new_document(actor, unit))
    assert registry.outgoing_document_number(send, entry) == "ลย 51077/1"
    assert registry.outgoing_document_number(circulars, circular_entry) == "ลย 51077/ว 1"


# ---- under concurrency: committed data on a database of its own --------------------------------------

@pytest.fixture
def committed_app():
    url = sibling_database_url("_numbering")
    recreate_database(url)
    application = create_app(environ=app_environ(url, service_url("TEST_REDIS_URL")))
    build_schema(application)
    with application.app_context():
        unit = make_unit(letter_code="ลย 51088")
        user = make_user(unit=unit, roles=("clerk",))
        register = registry.default_register(unit, "receive")
        db.session.commit()
        ids = {"unit": unit.id, "user": user.id, "register": register.id}
    yield application, ids
    with application.app_context():
        db.engine.dispose()


def register_in_thread(application, ids, count, failures, fail_every=None):
    from app.org.models import Unit, User
    from app.registry.models import Register

    with application.app_context():
        for index in range(count):
            try:
                actor = Actor(user=db.session.get(User, ids["user"]))
                unit = db.session.get(Unit, ids["unit"])
                entry = registry.issue_number(actor, db.session.get(Register, ids["register"]),
                                              new_document(actor, unit))
                if fail_every and index % fail_every == 0:
                    raise RuntimeError("the request fails after taking a number")
                db.session.commit()
                assert entry.number > 0
            except RuntimeError:
                db.session.rollback()
                failures.append(index)
            finally:
                db.session.remove()


@pytest.mark.own_database
def test_parallel_registrations_get_exactly_one_to_n(committed_app):
    application, ids = committed_app
    failures, threads = [], []
    for worker in range(10):
        # every third request of half the workers fails after taking its number: it must consume nothing
        threads.append(threading.Thread(target=register_in_thread, args=(
            application, ids, 12, failures, 3 if worker % 2 else None)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with application.app_context():
        numbers = db.session.scalars(select(RegisterEntry.number).where(
            RegisterEntry.register_id == ids["register"]).order_by(RegisterEntry.number)).all()
    assert len(failures) == 5 * 4
    assert numbers == list(range(1, 10 * 12 - len(failures) + 1))
