"""Documents: registering a paper letter, unit-scoped access (R34), secrecy, due dates (R12, R31), drafts
(R33), outgoing numbers (R17) and earlier years (R32)."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.core.models import AuditEvent
from app.core.thai_dates import THAI_MONTHS, buddhist_year, today_local
from app.documents.models import Document, DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.registry import services as registry
from tests.factories import make_unit, make_user


def type_id(code="external"):
    return db.session.scalar(select(DocumentType.id).where(DocumentType.code == code))


def letter_form(unit, **overrides):
    form = {"unit_id": unit.id, "type_id": type_id(), "doc_number": "ขก 0023.4/ว 118", "dated": "2026-11-20",
            "subject": "ขอความอนุเคราะห์ข้อมูลงบประมาณ", "from_text": "องค์การบริหารส่วนจังหวัดขอนแก่น",
            "addressed_to": "นายกองค์การบริหารส่วนจังหวัดเลย", "secrecy": "normal", "speed": "urgent",
            "category_id": 0, "delivery_method_id": 0}
    form.update(overrides)
    return form


@pytest.fixture
def unit():
    return make_unit(name_th="กองคลังทดสอบ", letter_code="ลย 51066")


@pytest.fixture
def clerk(unit):
    return make_user(unit=unit, roles=("clerk",))


def registered(client, login, clerk, unit, **overrides):
    login(client, clerk)
    response = client.post("/documents/receive", data=letter_form(unit, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def test_a_clerk_registers_a_paper_letter_and_sees_the_receipt_stamp(client, login, clerk, unit):
    response = registered(client, login, clerk, unit)
    stamp = client.get(response.location).get_data(as_text=True)
    today = today_local()
    assert 'app-receipt-number">1<' in stamp
    assert f"{today.day} " in stamp and str(buddhist_year(today)) in stamp and " น." in stamp
    document = db.session.scalar(select(Document).where(Document.owner_unit_id == unit.id))
    assert (document.subject, document.speed, document.from_text) == (
        "ขอความอนุเคราะห์ข้อมูลงบประมาณ", "urgent", "องค์การบริหารส่วนจังหวัดขอนแก่น")
    detail = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "ทะเบียนหนังสือรับ" in detail and "ขก 0023.4/ว 118" in detail


def test_the_next_letter_gets_the_next_number(client, login, clerk, unit):
    registered(client, login, clerk, unit)
    second = registered(client, login, clerk, unit, subject="ขอเชิญประชุม")
    assert 'app-receipt-number">2<' in client.get(second.location).get_data(as_text=True)


def test_a_letter_without_subject_is_refused_and_takes_no_number(client, login, clerk, unit):
    login(client, clerk)
    response = client.post("/documents/receive", data=letter_form(unit, subject=""))
    assert response.status_code == 200
    assert db.session.query(Document).count() == 0
    assert 'app-receipt-number">1<' in client.get(registered(client, login, clerk, unit).location).get_data(
        as_text=True)


def test_due_date_as_a_number_of_days(client, login, clerk, unit):
    registered(client, login, clerk, unit, due_days="7")
    document = db.session.scalar(select(Document))
    assert document.due_date == today_local() + timedelta(days=7)


def test_due_date_given_both_ways_is_refused(client, login, clerk, unit):
    login(client, clerk)
    page = client.post("/documents/receive", data=letter_form(unit, due_days="7", due_date="2026-12-01"))
    assert "ไม่ใช่ทั้งสองอย่าง" in page.get_data(as_text=True) or page.status_code == 200
    assert db.session.query(Document).count() == 0


def test_only_clerks_register_letters(client, login, unit):
    login(client, make_user(unit=unit, roles=("operator",)))
    assert client.get("/documents/receive").status_code == 403


def test_another_units_user_neither_lists_nor_opens_our_document(client, other_client, login, clerk, unit):
    registered(client, login, clerk, unit)
    document = db.session.scalar(select(Document))
    outsider = make_user(roles=("clerk", "manager"))
    login(other_client, outsider)
    assert "ขอความอนุเคราะห์" not in other_client.get("/documents").get_data(as_text=True)
    assert other_client.get(f"/documents/{document.id}").status_code == 404
    for action in ("due-date", "delete", "send-number"):
        assert other_client.post(f"/documents/{document.id}/{action}").status_code == 404


def test_a_classified_subject_is_hidden_from_those_without_clearance(client, other_client, login, clerk, unit):
    registered(client, login, clerk, unit, secrecy="secret", subject="เรื่องลับมากทดสอบ")
    document = db.session.scalar(select(Document))
    operator = make_user(unit=unit, roles=("operator",))
    login(other_client, operator)
    listing = other_client.get("/documents").get_data(as_text=True)
    detail = other_client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "เรื่องลับมากทดสอบ" not in listing and "เรื่องลับมากทดสอบ" not in detail
    assert "ลับมาก" in detail
    reads = db.session.query(AuditEvent).filter_by(action="document.read_classified")
    assert reads.count() == 0

    assert "เรื่องลับมากทดสอบ" in client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert [e.actor_id for e in reads] == [clerk.id]


def test_the_manager_above_sees_a_classified_document_of_a_section(app, client, other_client, login):
    """R34 with the org chart: a division head oversees its sections; the head of another division does not."""
    division, other_division = make_unit(), make_unit()
    section = make_unit(kind="section", parent=division)
    clerk = make_user(unit=section, roles=("clerk",))
    director = make_user(unit=division, roles=("manager",), manager_level="division_head")
    other_director = make_user(unit=other_division, roles=("manager",), manager_level="division_head")
    registered(client, login, clerk, section, secrecy="confidential", subject="ลับเฉพาะฝ่าย")
    document = db.session.scalar(select(Document))
    outsider_client = app.test_client()
    login(outsider_client, other_director)
    assert outsider_client.get(f"/documents/{document.id}").status_code == 404
    login(other_client, director)
    assert "ลับเฉพาะฝ่าย" in other_client.get(f"/documents/{document.id}").get_data(as_text=True)


def test_extending_a_due_date_keeps_the_old_one_and_the_reason(client, login, clerk, unit):
    registered(client, login, clerk, unit, due_date="2026-12-01")
    document = db.session.scalar(select(Document))
    client.post(f"/documents/{document.id}/due-date", data={"new_due_date": "2026-12-15",
                                                            "reason": "รอข้อมูลจากอำเภอ"})
    assert document.due_date.isoformat() == "2026-12-15"
    change = document.due_date_changes[0]
    assert (change.old_due_date.isoformat(), change.reason) == ("2026-12-01", "รอข้อมูลจากอำเภอ")
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "รอข้อมูลจากอำเภอ" in page and "1 ธ.ค. 2569" in page


def test_a_due_date_change_without_reason_changes_nothing(client, login, clerk, unit):
    registered(client, login, clerk, unit, due_date="2026-12-01")
    document = db.session.scalar(select(Document))
    client.post(f"/documents/{document.id}/due-date", data={"new_due_date": "2026-12-15", "reason": ""})
    assert document.due_date.isoformat() == "2026-12-01" and document.due_date_changes == []


def test_a_draft_never_sent_can_be_deleted_but_a_sent_one_cannot(client, login, clerk, unit):
    login(client, clerk)
    client.post("/documents/new", data={k: v for k, v in letter_form(unit).items() if k != "unit_id"})
    draft = db.session.scalar(select(Document))
    assert client.post(f"/documents/{draft.id}/delete").status_code == 302
    assert draft.deleted_at is not None
    assert client.get(f"/documents/{draft.id}").status_code == 404

    sent = create_document(Actor(user=clerk), owner_unit=unit,
                           details=DocumentDetails(type=db.session.get(DocumentType, type_id()), subject="ส่งแล้ว"))
    sent.first_sent_at = datetime(2026, 11, 1)
    db.session.commit()
    page = client.post(f"/documents/{sent.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "ส่งไปแล้ว" in page and sent.deleted_at is None


def test_issuing_an_outgoing_number_writes_the_document_number(client, login, clerk, unit):
    login(client, clerk)
    client.post("/documents/new", data={k: v for k, v in letter_form(unit).items() if k != "unit_id"})
    draft = db.session.scalar(select(Document))
    client.post(f"/documents/{draft.id}/send-number")
    assert draft.doc_number == "ลย 51066/1"


def test_cancelling_a_number_from_the_document_page(client, login, clerk, unit):
    registered(client, login, clerk, unit)
    document = db.session.scalar(select(Document))
    entry = registry.default_register(unit, "receive")
    from app.registry.queries import entries_of_document
    entry = entries_of_document(document)[0]
    client.post(f"/documents/{document.id}/entries/{entry.id}/cancel", data={"reason": "ลงรับซ้ำ"})
    assert entry.is_cancelled and entry.cancel_reason == "ลงรับซ้ำ"
    assert "ลงรับซ้ำ" in client.get(f"/documents/{document.id}").get_data(as_text=True)


def test_lists_default_to_the_current_year_and_earlier_years_are_one_click_away(client, login, clerk, unit):
    actor = Actor(user=clerk)
    old = create_document(actor, owner_unit=unit, details=DocumentDetails(
        type=db.session.get(DocumentType, type_id()), subject="หนังสือปีก่อน"))
    old.created_at = datetime(today_local().year - 1, 6, 1)
    create_document(actor, owner_unit=unit, details=DocumentDetails(
        type=db.session.get(DocumentType, type_id()), subject="หนังสือปีนี้"))
    db.session.commit()
    login(client, clerk)
    this_year = client.get("/documents").get_data(as_text=True)
    assert "หนังสือปีนี้" in this_year and "หนังสือปีก่อน" not in this_year
    last_year = client.get(f"/documents?year={today_local().year - 1}").get_data(as_text=True)
    assert "หนังสือปีก่อน" in last_year and "หนังสือปีนี้" not in last_year
    assert "หนังสือปีก่อน" in client.get("/documents?year=all").get_data(as_text=True)
    assert THAI_MONTHS  # month names are used by the list's dates


def test_recipients_are_kept_as_units_and_outside_organisations(client, login, clerk, unit):
    engineering = make_unit(name_th="กองช่างผู้รับ")
    registered(client, login, clerk, unit, recipient_unit_ids=[str(engineering.id)],
               recipient_texts="สำนักงานจังหวัดเลย\nที่ทำการปกครองจังหวัดเลย")
    document = db.session.scalar(select(Document))
    assert [(r.unit_id, r.name_text) for r in document.recipients] == [
        (engineering.id, ""), (None, "สำนักงานจังหวัดเลย"), (None, "ที่ทำการปกครองจังหวัดเลย")]
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "กองช่างผู้รับ" in page and "ที่ทำการปกครองจังหวัดเลย" in page


def test_a_deputy_registering_for_the_absent_clerks_unit_is_recorded_as_acting_for_her(client, login, clerk, unit):
    from app.org.models import Delegation

    deputy = make_user(roles=("operator",))
    db.session.add(Delegation(principal=clerk, deputy=deputy, starts_on=today_local(), ends_on=today_local()))
    db.session.commit()
    registered(client, login, deputy, unit)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register.number"))
    assert (event.actor_id, event.acting_for_id) == (deputy.id, clerk.id)
    document = db.session.scalar(select(Document))
    assert "รักษาราชการแทน" in client.get(f"/documents/{document.id}").get_data(as_text=True)


def test_a_registered_letter_is_no_draft_and_keeps_its_senders_number(client, login, clerk, unit):
    registered(client, login, clerk, unit)
    document = db.session.scalar(select(Document))
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "ลบร่าง" not in page and "ออกเลขที่หนังสือส่ง" not in page
    refused = client.post(f"/documents/{document.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "มีเลขทะเบียนแล้ว" in refused and document.deleted_at is None
    client.post(f"/documents/{document.id}/send-number")
    assert document.doc_number == "ขก 0023.4/ว 118"


def test_an_outgoing_number_is_issued_once(client, login, clerk, unit):
    login(client, clerk)
    client.post("/documents/new", data={k: v for k, v in letter_form(unit).items() if k != "unit_id"})
    draft = db.session.scalar(select(Document))
    client.post(f"/documents/{draft.id}/send-number")
    again = client.post(f"/documents/{draft.id}/send-number", follow_redirects=True).get_data(as_text=True)
    assert draft.doc_number == "ลย 51066/1" and "มีเลขที่หนังสือส่งแล้ว" in again
