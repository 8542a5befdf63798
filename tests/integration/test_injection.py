"""Issue 12 item 1 (R34): what people type is shown as text everywhere (messages, pages, exports), and htmx
requests count only a CSRF token sent in the header that the app's own script sets."""
import io
import json
from urllib.parse import quote

import openpyxl
import pytest
from sqlalchemy import select

from app import create_app
from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.notifications.cards import card
from app.notifications.models import Event, Notification
from app.routing import services as routing
from app.routing.models import Delivery
from tests.conftest import IsolatedRequestClient, app_environ, csrf_token_from
from tests.factories import DEFAULT_PASSWORD, make_unit, make_user

PAYLOAD = """<b>x</b>"'><div hx-get=/>"""
ESCAPED = "&lt;b&gt;x&lt;/b&gt;"
TYPED_SEARCH_FIELDS = ("dated_from", "dated_to", "received_from", "received_to", "status", "speed", "secrecy")


def shows_as_text(page):
    return "<b>x</b>" not in page and "<div hx-get" not in page and ESCAPED in page


@pytest.mark.parametrize("field", TYPED_SEARCH_FIELDS)
def test_a_bad_search_value_is_shown_as_text(client, login, field):
    login(client, make_user(roles=("clerk",)))

    for path in (f"/search?{field}={quote(PAYLOAD)}", f"/search/export.xlsx?{field}={quote(PAYLOAD)}"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html", path
        assert shows_as_text(response.get_data(as_text=True)), path


def test_an_unknown_condition_field_is_shown_as_text(client, login):
    login(client, make_user(roles=("clerk",)))

    page = client.get(f"/search?c={quote(PAYLOAD)}&v=x").get_data(as_text=True)

    assert shows_as_text(page)


@pytest.fixture
def letter_with_payload_everywhere(db_session):
    """A letter whose every typed field, sending unit, receiving unit and people carry the payload, sent and
    registered, so it is in lists, registers and search on both sides."""
    sender_unit = make_unit(name_th=f"กองส่ง {PAYLOAD}")
    receiver_unit = make_unit(name_th=f"กองรับ {PAYLOAD}")
    sender = make_user(unit=sender_unit, roles=("clerk",), full_name_th=f"นายส่ง {PAYLOAD}")
    receiver = make_user(unit=receiver_unit, roles=("clerk",), full_name_th=f"นางรับ {PAYLOAD}")
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor(user=sender), owner_unit=sender_unit, details=DocumentDetails(
        type=external, subject=f"เรื่องทดสอบ {PAYLOAD}", doc_number=f"ลย {PAYLOAD}", from_text=PAYLOAD,
        addressed_to=PAYLOAD, reference=PAYLOAD, enclosures=PAYLOAD, note=PAYLOAD))
    [delivery] = routing.send(Actor(user=sender), document, from_unit=sender_unit, to_units=[receiver_unit],
                              note=PAYLOAD)
    entry = handling.register_delivery(Actor(user=receiver), delivery)
    routing.save_distribution_list(Actor(user=sender), unit=sender_unit, name=f"รายการ {PAYLOAD}",
                                   member_units=[receiver_unit])
    db.session.commit()
    return document, delivery, entry, sender, receiver


def test_typed_text_round_trips_as_text_in_every_page(client, login, letter_with_payload_everywhere):
    document, delivery, entry, sender, receiver = letter_with_payload_everywhere
    pages = {
        sender: ["/", f"/documents/{document.id}", f"/documents/{document.id}/route", "/documents", "/sent",
                 "/tasks", "/distribution-lists", f"/search?q={quote('เรื่องทดสอบ')}&year=all"],
        receiver: ["/", f"/documents/{document.id}", f"/deliveries/{delivery.id}", "/inbox", "/tasks",
                   "/notifications", f"/documents/{document.id}/receipt/{entry.id}",
                   f"/reports/registers/{entry.register_id}?year={entry.year}",
                   f"/search?q={quote('เรื่องทดสอบ')}&year=all"],
    }
    for person, paths in pages.items():
        login(client, person)
        for path in paths:
            response = client.get(path, follow_redirects=True)
            assert response.status_code == 200, path
            page = response.get_data(as_text=True)
            assert "<b>x</b>" not in page and "<div hx-get" not in page, path
        client.post("/logout")


def test_typed_text_stays_as_typed_in_the_exports(client, login, letter_with_payload_everywhere):
    document, _, entry, _, receiver = letter_with_payload_everywhere
    login(client, receiver)

    for path in (f"/reports/registers/{entry.register_id}/register.xlsx?year={entry.year}",
                 f"/search/export.xlsx?q={quote('เรื่องทดสอบ')}&year=all"):
        response = client.get(path)
        sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
        cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert any(cell == f"เรื่องทดสอบ {PAYLOAD}" for cell in cells), path  # text, as typed
        assert not any(cell.startswith("=") for cell in cells), path


# ---- htmx: the token only from the header ---------------------------------------------------------------

@pytest.fixture
def csrf_app(database_url, redis_url, db_session):
    application = create_app({"TESTING": True}, environ=app_environ(database_url, redis_url))
    application.test_client_class = IsolatedRequestClient
    return application


def logged_in_with_token(csrf_app, user):
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": token, "username": user.username, "password": DEFAULT_PASSWORD})
    return client, csrf_token_from(client.get("/").get_data(as_text=True))


@pytest.fixture
def draft(db_session):
    unit, target = make_unit(), make_unit()
    clerk = make_user(unit=unit, roles=("clerk",))
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor(user=clerk), owner_unit=unit, details=DocumentDetails(
        type=external, subject="ขอเชิญประชุมคณะทำงาน"))
    db.session.commit()
    return document, clerk, target


def test_an_htmx_request_with_the_forms_token_in_its_body_is_refused(csrf_app, draft):
    document, clerk, target = draft
    client, token = logged_in_with_token(csrf_app, clerk)

    response = client.post(f"/documents/{document.id}/send", headers={"HX-Request": "true"},
                           data={"csrf_token": token, "to_unit_ids": target.id, "list_id": 0})

    assert response.status_code == 400
    assert db.session.scalars(select(Delivery).where(Delivery.document_id == document.id)).all() == []


def test_an_htmx_request_with_the_token_in_its_header_goes_through(csrf_app, draft):
    document, clerk, target = draft
    client, token = logged_in_with_token(csrf_app, clerk)

    response = client.post(f"/documents/{document.id}/send", headers={"HX-Request": "true", "X-CSRFToken": token},
                           data={"to_unit_ids": target.id, "list_id": 0})

    assert response.status_code == 302
    assert [d.to_unit_id for d in db.session.scalars(select(Delivery).where(
        Delivery.document_id == document.id))] == [target.id]


def test_an_ordinary_form_still_sends_its_token_in_the_body(csrf_app, draft):
    document, clerk, target = draft
    client, token = logged_in_with_token(csrf_app, clerk)

    response = client.post(f"/documents/{document.id}/send",
                           data={"csrf_token": token, "to_unit_ids": target.id, "list_id": 0})

    assert response.status_code == 302
    assert db.session.scalars(select(Delivery).where(Delivery.document_id == document.id)).all() != []


def test_a_unit_name_in_a_refusal_is_shown_as_text(client, login, db_session):
    """A refused send names the unit, and a unit's name is an admin's typed text."""
    unit = make_unit()
    clerk = make_user(unit=unit, roles=("clerk",))
    target = make_unit(name_th=f"กองรับ {PAYLOAD}")
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor(user=clerk), owner_unit=unit, details=DocumentDetails(
        type=external, subject="ขอเชิญประชุม"))
    routing.send(Actor(user=clerk), document, from_unit=unit, to_units=[target])
    db.session.commit()
    login(client, clerk)

    page = client.post(f"/documents/{document.id}/send", data={"to_unit_ids": target.id, "list_id": 0},
                       follow_redirects=True).get_data(as_text=True)

    assert "กองรับ" in page and shows_as_text(page)


def test_the_line_card_carries_the_text_as_typed(letter_with_payload_everywhere):
    """LINE shows Flex text as plain text: the card keeps what was typed, neither escaped twice nor cut."""
    document, _, _, _, receiver = letter_with_payload_everywhere
    arrival = db.session.scalar(select(Notification).where(
        Notification.user_id == receiver.id, Notification.document_id == document.id,
        Notification.event == Event.ARRIVAL))

    flex = card(arrival, "https://saraban.example")
    texts = [item["text"] for item in flex["contents"]["body"]["contents"]]

    assert f"เรื่องทดสอบ {PAYLOAD}" in texts and any(PAYLOAD in text and "กองส่ง" in text for text in texts)
    assert "&lt;" not in json.dumps(flex, ensure_ascii=False)
