"""R30: a person follows documents and sees them apart from the rest: the latest step, where each one waits
now, and for how long."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.handling.queries import open_handling
from app.routing import services as routing
from app.routing.queries import route_of
from tests.factories import make_unit, make_user

SUBJECT = "ขอความอนุเคราะห์ข้อมูลงบประมาณประจำปี"


@pytest.fixture
def org():
    a, b, c = make_unit(name_th="กองคลังติดตาม"), make_unit(name_th="กองช่างติดตาม"), make_unit(name_th="กองศึกษาติดตาม")
    return SimpleNamespace(a=a, b=b, c=c, clerk_a=make_user(unit=a, roles=("clerk",)),
                           clerk_b=make_user(unit=b, roles=("clerk",)), clerk_c=make_user(unit=c, roles=("clerk",)))


def sent_to_b_and_c(org, **details):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor(user=org.clerk_a), owner_unit=org.a, details=DocumentDetails(
        type=external, subject=SUBJECT, **details))
    routing.send(Actor(user=org.clerk_a), document, from_unit=org.a, to_units=[org.b, org.c])
    db.session.commit()
    return document


def rows(page):
    """Each followed row as the person reads it: its cells' text, whitespace collapsed."""
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r'<tr data-testid="followed-row">(.*?)</tr>', page, re.S)]


def test_r30_a_followed_document_shows_its_latest_step_and_every_unit_it_waits_at(org, client, login):
    document = sent_to_b_and_c(org)
    login(client, org.clerk_a)
    assert client.post(f"/documents/{document.id}/follow").status_code == 302
    [row] = rows(client.get("/following").get_data(as_text=True))
    subject, step, waiting_at, waited = row
    assert subject == SUBJECT and step.startswith("ส่งถึงหน่วยงาน")
    assert "กองช่างติดตาม · ใหม่" in waiting_at and "กองศึกษาติดตาม · ใหม่" in waiting_at
    assert waited == "ไม่ถึง 1 นาที"

    delivery_b = next(d for d in route_of(document) if d.to_unit_id == org.b.id)
    handling.register_delivery(Actor(user=org.clerk_b), delivery_b)
    db.session.commit()
    [[_, step, waiting_at, _]] = rows(client.get("/following").get_data(as_text=True))
    assert step.startswith("เริ่มดำเนินการในหน่วยงาน")
    assert "กองช่างติดตาม · รอธุรการส่งต่อภายในหน่วยงาน" in waiting_at and "กองศึกษาติดตาม · ใหม่" in waiting_at

    delivery_c = next(d for d in route_of(document) if d.to_unit_id == org.c.id)
    routing.return_to_sender(Actor(user=org.clerk_c), delivery_c, "ไม่เกี่ยวข้อง")
    handling.close(Actor(user=org.clerk_b), open_handling(document, org.b))
    db.session.commit()
    [[_, step, waiting_at, _]] = rows(client.get("/following").get_data(as_text=True))
    assert step.startswith("ปิดงาน") and waiting_at == "ไม่มี: เสร็จสิ้นแล้ว"


def test_r30_following_is_personal_and_can_be_stopped(org, client, login):
    document = sent_to_b_and_c(org)
    login(client, org.clerk_a)
    client.post(f"/documents/{document.id}/follow")
    client.post(f"/documents/{document.id}/follow")  # twice is once
    assert len(rows(client.get("/following").get_data(as_text=True))) == 1
    assert "ติดตามอยู่ ✓" in client.get(f"/documents/{document.id}").get_data(as_text=True)

    client.post("/logout")
    login(client, org.clerk_b)
    assert rows(client.get("/following").get_data(as_text=True)) == []

    client.post("/logout")
    login(client, org.clerk_a)
    client.post(f"/documents/{document.id}/unfollow")
    page = client.get("/following").get_data(as_text=True)
    assert rows(page) == [] and "ยังไม่มีหนังสือที่ติดตาม" in page


def test_r30_r34_only_what_the_person_may_see_can_be_followed_or_listed(org, client, login):
    document = sent_to_b_and_c(org, secrecy="confidential")
    outsider = make_user(unit=make_unit(name_th="หน่วยอื่น"), roles=("operator",))
    login(client, outsider)
    assert client.post(f"/documents/{document.id}/follow").status_code == 404
    assert rows(client.get("/following").get_data(as_text=True)) == []

    operator_b = make_user(unit=org.b, roles=("operator",))  # sees it (B received it), not its subject
    client.post("/logout")
    login(client, operator_b)
    client.post(f"/documents/{document.id}/follow")
    [[subject, *_]] = rows(client.get("/following").get_data(as_text=True))
    assert SUBJECT not in subject and "ลับ" in subject
