"""Issue 17 item 5: every form answers odd input with a page or a message, never a server error.

Each form is taken from the page that shows it, as a browser would, and sent with every field set to one
of the payloads below: Thai combining-mark soup, emoji, 100,000 characters, NUL and control characters,
wrong types and huge numbers. A refusal is a page (200 with the form again), a redirect or a 4xx; never a
5xx, and a payload the form refuses writes nothing."""
from urllib.parse import urljoin

import pytest
from lxml import html
from sqlalchemy import func, select

from app.core.actor import Actor
from app.core.models import AuditEvent
from app.documents.models import Document, DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.routing import services as routing
from tests.factories import make_unit, make_user

PAYLOADS = {
    "combining-marks": "ก" + "\u0e48\u0e34\u0e4a\u0e31" * 200,
    "emoji": "😀🙏🏽👨‍👩‍👧 ขอบคุณ",
    "long": "ก" * 100_000,
    "control": "ab\x00c\x01\x07\x1b[31m\u202e\u200b",
    "huge-number": "9" * 40,
    "negative": "-1",
    "wrong-type": "[]{}<script>alert(1)</script>",
    "be-date": "31/02/2569",
}
# What people reach by a menu, per role: their forms are what the test sends.
PAGES = {
    "clerk": ("/documents/receive", "/documents/new", "/letters/new", "/account/line", "/account/password",
              "{document}"),
    "admin": ("/admin/units/new", "/admin/users/new", "/admin/document-types", "/admin/categories",
              "/admin/delivery-methods", "/admin/registers", "/admin/letterhead", "/admin/flows"),
}
SKIPPED_ACTIONS = ("/logout", "/locale/")


@pytest.fixture
def people():
    unit = make_unit(name_th="กองคลังทดสอบฟอร์ม")
    clerk = make_user(unit=unit, roles=("clerk", "operator"))
    return {"clerk": clerk, "admin": make_user(unit=unit, roles=("admin",)), "document": received(clerk)}


def received(clerk):
    """A letter from another unit registered by `clerk`: its page carries the unit's step forms."""
    sender = make_user(unit=make_unit(name_th="กองช่างผู้ส่ง"), roles=("clerk",))
    details = DocumentDetails(type=db.session.scalar(select(DocumentType).where(DocumentType.code == "external")),
                              subject="ขอความอนุเคราะห์ข้อมูล")
    document = create_document(Actor(user=sender), owner_unit=sender.unit, details=details)
    delivery, = routing.send(Actor(user=sender), document, from_unit=sender.unit, to_units=[clerk.unit])
    handling.register_delivery(Actor(user=clerk), delivery)
    db.session.commit()
    return document


def forms_on(page_html, page_url):
    """(action, {field: value}) of each POST form of the page, with the values a browser would send."""
    tree = html.fromstring(page_html)
    for form in tree.forms:
        if (form.method or "get").lower() != "post":
            continue
        action = urljoin(page_url, form.action or page_url)
        if any(skipped in action for skipped in SKIPPED_ACTIONS):
            continue
        yield action, {name: value for name, value in form.form_values()}, _field_names(form)


def _field_names(form):
    return sorted({element.name for element in form.inputs if element.name
                   and getattr(element, "type", "text") not in ("hidden", "submit", "file", "checkbox", "radio")})


def counts():
    return (db.session.scalar(select(func.count()).select_from(Document)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


@pytest.mark.parametrize("payload", PAYLOADS, ids=list(PAYLOADS))
@pytest.mark.parametrize("role", PAGES)
def test_every_form_answers_odd_input_without_a_server_error(client, login, people, role, payload):
    login(client, people[role])
    value, sent = PAYLOADS[payload], 0
    for page in PAGES[role]:
        page = page.format(document=f"/documents/{people['document'].id}")
        response = client.get(page)
        assert response.status_code in (200, 302, 404), page
        if response.status_code != 200:
            continue
        for action, values, fields in forms_on(response.get_data(as_text=True), page):
            data = {**values, **{field: value for field in fields}}
            answer = client.post(action, data=data)
            sent += 1
            assert answer.status_code < 500, f"{action} with {payload}: {answer.status_code}"
            assert "Traceback" not in answer.get_data(as_text=True)
    assert sent > 0


def test_a_refused_letter_writes_nothing(client, login, people):
    """The clerk's receive form with a 100,000-character subject: a message, no document, no audit."""
    login(client, people["clerk"])
    page = client.get("/documents/receive").get_data(as_text=True)
    action, values, fields = next(forms_on(page, "/documents/receive"))
    before = counts()
    answer = client.post(action, data={**values, **{field: PAYLOADS["long"] for field in fields}})
    assert answer.status_code == 200 and 'class="invalid-feedback' in answer.get_data(as_text=True)
    assert counts() == before
