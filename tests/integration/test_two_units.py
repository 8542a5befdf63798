"""A person who is clerk of two units that both hold a letter (issue 14): their own unit's clerk who acts for
the clerk of another unit (รักษาราชการแทน). The document page acts for one unit's copy at a time, says which,
lets them choose when both have a step open, and a send from it goes from the unit whose copy they act for:
that unit's step ends, the other unit's is left alone."""
import re

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.core.models import AuditEvent
from app.core.thai_dates import today_local
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.handling.models import Handling
from app.org import services as org_services
from app.routing import services as routing
from app.routing.models import Delivery
from tests.factories import SYSTEM, make_unit, make_user


@pytest.fixture
def org():
    """Units A (owns the letter), B and C. Somsri is clerk of A and, today, acts for B's clerk."""
    a, b, c = (make_unit(name_th="กองคลังต้นเรื่อง"), make_unit(name_th="กองช่างรับสำเนา"),
               make_unit(name_th="กองการศึกษาปลายทาง"))
    somsri, clerk_b = make_user(unit=a, roles=("clerk",)), make_user(unit=b, roles=("clerk",))
    clerk_c = make_user(unit=c, roles=("clerk",))
    org_services.add_delegation(SYSTEM, principal=clerk_b, deputy=somsri, starts_on=today_local(),
                                ends_on=today_local(), note="ไปราชการ")
    db.session.commit()
    return {"a": a, "b": b, "c": c, "somsri": somsri, "clerk_b": clerk_b, "clerk_c": clerk_c}


@pytest.fixture
def letter(org, client, login):
    """A letter by post registered at A (A's clerk step open), a copy delivered to B, which Somsri registers
    for B: both A and B hold it, each with its triage step open, both Somsri's to take."""
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document, _ = handling.receive_paper_letter(Actor(user=org["somsri"]), unit=org["a"], details=DocumentDetails(
        type=external, subject="ขอความร่วมมือสำรวจข้อมูลผู้สูงอายุในพื้นที่", from_text="อำเภอเมืองเลย"))
    [to_b] = routing.send(Actor(user=org["somsri"]), document, from_unit=org["a"], to_units=[org["b"]],
                          note="สำเนาเพื่อทราบ")
    db.session.commit()
    login(client, org["somsri"])
    assert client.post(f"/deliveries/{to_b.id}/register").status_code == 302
    return document, to_b


def open_step(document, unit):
    return handling_queries.open_task(handling_queries.open_handling(document, unit))


def test_the_page_says_whose_copy_it_acts_for_and_offers_the_other(client, org, letter):
    document, _ = letter
    assert open_step(document, org["a"]).spec_name == open_step(document, org["b"]).spec_name == "triage"

    page = client.get(f"/documents/{document.id}?unit={org['b'].id}").get_data(as_text=True)
    assert 'data-testid="acting-for"' in page
    assert "สิ่งที่ท่านทำในหน้านี้เป็นการดำเนินการของ กองช่างรับสำเนา" in page
    assert f'href="/documents/{document.id}?unit={org["a"].id}#todo"' in page  # choose A's copy instead
    assert "มีงานรอท่าน" in page  # both units have a step waiting for Somsri
    assert re.search(rf'name="from_unit_id"[^>]*value="{org["b"].id}"', page)  # the send goes from B
    assert "ส่งในนามของ กองช่างรับสำเนา" in page

    page = client.get(f"/documents/{document.id}?unit={org['a'].id}").get_data(as_text=True)
    assert "สิ่งที่ท่านทำในหน้านี้เป็นการดำเนินการของ กองคลังต้นเรื่อง" in page
    assert re.search(rf'name="from_unit_id"[^>]*value="{org["a"].id}"', page)


def test_my_work_opens_the_page_on_the_copy_of_the_task_picked(client, org, letter):
    document, _ = letter
    page = client.get("/tasks").get_data(as_text=True)
    for unit in (org["a"], org["b"]):
        assert f'href="/documents/{document.id}?unit={unit.id}"' in page


def test_sending_on_from_bs_copy_goes_from_b_ends_bs_step_and_leaves_as_alone(client, org, letter):
    document, to_b = letter
    a_step = open_step(document, org["a"])

    response = client.post(f"/documents/{document.id}/send", data={
        "to_unit_ids": [str(org["c"].id)], "list_id": "0", "note": "เพื่อดำเนินการ", "from_unit_id": org["b"].id})
    assert response.status_code == 302

    to_c = db.session.scalar(select(Delivery).where(Delivery.document_id == document.id,
                                                    Delivery.to_unit_id == org["c"].id))
    assert (to_c.from_unit_id, to_c.parent_id, to_c.sent_by_id) == (org["b"].id, to_b.id, org["somsri"].id)
    b_work = db.session.scalars(select(Handling).where(Handling.document_id == document.id,
                                                       Handling.unit_id == org["b"].id)).one()
    assert b_work.status == "forwarded" and handling_queries.open_task(b_work) is None
    assert open_step(document, org["a"]).id == a_step.id  # A's step: still open, untouched
    send = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "delivery.send",
                                                       AuditEvent.subject_id == document.id)
                              .order_by(AuditEvent.id.desc())).first()
    assert send.acting_for_id == org["clerk_b"].id  # recorded as acting for B's clerk

    # what a person reads: the route and the Sent list name B as the sender
    route = client.get(f"/documents/{document.id}/route").get_data(as_text=True)
    assert re.search(r"กองช่างรับสำเนา</td>\s*<td[^>]*>กองการศึกษาปลายทาง</td>", route)
    sent = client.get("/sent").get_data(as_text=True)
    row = next(r for r in sent.split("<tr") if "กองการศึกษาปลายทาง" in r)
    assert re.search(r'data-testid="sent-from">กองช่างรับสำเนา<', row)

    # and A's copy is still Somsri's to route; the page now has only A to act for
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "พิจารณาส่งต่อภายในหน่วยงาน" in page
    assert re.search(rf'name="from_unit_id"[^>]*value="{org["a"].id}"', page)


def test_a_unit_the_sender_may_not_send_from_is_refused(client, org, letter):
    document, _ = letter
    response = client.post(f"/documents/{document.id}/send", data={
        "to_unit_ids": [str(org["b"].id)], "list_id": "0", "from_unit_id": org["c"].id})
    assert response.status_code == 403
    assert db.session.scalar(select(Delivery.id).where(Delivery.document_id == document.id,
                                                       Delivery.from_unit_id == org["c"].id)) is None


def test_one_unit_only_shows_no_choice(client, login, org):
    """B's own clerk holds it in B alone: nothing to choose, the page does not mention units."""
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document, _ = handling.receive_paper_letter(Actor(user=org["clerk_b"]), unit=org["b"], details=DocumentDetails(
        type=external, subject="แจ้งกำหนดการประชุมประจำเดือน", from_text="ศาลากลางจังหวัดเลย"))
    db.session.commit()
    login(client, org["clerk_b"])
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert 'data-testid="acting-for"' not in page
