"""Issue 12 item 1 (R34) in the browser: a link that carries htmx markup in a search value, opened by a
logged-in clerk, sends nothing; and markup that ever slipped into a page outside the app's htmx regions
cannot make a request, even with the page's CSRF token at hand.

Before the fix, `/search?dated_from=<div hx-post=... hx-trigger=load hx-include=[name=csrf_token]>` was shown
as HTML in "… is not a date.", and htmx sent the clerk's ลับมาก draft to the attacker's unit on load."""
import json
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.org.queries import unit_by_code, user_by_username
from app.routing.models import Delivery

pytestmark = pytest.mark.e2e

CLERK, UNIT = "saraban", "palad.general"
ATTACKERS_UNIT = "education"


@pytest.fixture
def secret_draft(e2e_app):
    with e2e_app.app_context():
        external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
        document = create_document(Actor(user=user_by_username(CLERK)), owner_unit=unit_by_code(UNIT),
                                   details=DocumentDetails(type=external, subject="แผนรักษาความปลอดภัยคลังพัสดุ",
                                                           secrecy="secret"))
        db.session.commit()
        return document.id, unit_by_code(ATTACKERS_UNIT).id


def deliveries_of(e2e_app, document_id):
    with e2e_app.app_context():
        return db.session.scalars(select(Delivery).where(Delivery.document_id == document_id)).all()


def send_markup(document_id, unit_id):
    values = json.dumps({"to_unit_ids": str(unit_id), "list_id": "0"})
    return (f'<div id="planted" hx-post="/documents/{document_id}/send" hx-trigger="load" '
            f"hx-include=\"[name=csrf_token]\" hx-vals='{values}'>x</div>")


def test_a_link_carrying_htmx_markup_sends_nothing(open_browser_as, e2e_app, secret_draft):
    document_id, unit_id = secret_draft
    page = open_browser_as(CLERK)
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.goto(f"/search?dated_from={quote(send_markup(document_id, unit_id))}")

    error = page.get_by_test_id("search-error")
    expect(error).to_contain_text('<div id="planted" hx-post=')  # shown as the text that was typed
    expect(page.locator("#planted")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert posts == []
    assert deliveries_of(e2e_app, document_id) == []


def test_planted_markup_outside_an_htmx_region_cannot_request(open_browser_as, e2e_app, secret_draft):
    """Defence in depth: even an element put into the page by other means (here by the test itself) and
    processed by htmx does not send, and the token it would take from the page's forms would not count."""
    document_id, unit_id = secret_draft
    page = open_browser_as(CLERK)
    page.goto("/")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.evaluate("""(markup) => {
        const holder = document.createElement("div");
        holder.innerHTML = markup.replace('hx-trigger="load"', 'hx-trigger="click"');
        document.querySelector("main").appendChild(holder);
        htmx.process(holder);
    }""", send_markup(document_id, unit_id))
    page.locator("#planted").click()

    page.wait_for_load_state("networkidle")
    assert posts == []
    assert deliveries_of(e2e_app, document_id) == []
