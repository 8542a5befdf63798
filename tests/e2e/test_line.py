"""LINE notifications in the browser (issue 5), with the local LINE server (fake_line/) standing in for LINE.

A registry clerk of unit B links their LINE account the way the LINE page tells them to: "open LINE" leads
to the local server's demo page ("LINE จำลอง"), where they add the official account as a friend; its reply
has a "เชื่อมบัญชี" button that, tapped in the clerk's own browser, goes through the app to LINE's
account-link dialog once they confirm on the app's page naming their LINE account; they confirm there and come back to the app, whose LINE page now shows the account as
linked. Then the clerk of unit A sends a letter to unit B from the document page. What B notices: a card on
LINE (the speed, "หนังสือเข้าใหม่", the subject, "จาก <unit A>", a button opening the letter in the app), the
unread count in the header, and the arrival in the notifications list, which opens the letter. A classified
letter's card names its class of secrecy, never its subject.

The people and units are made for each test with the factories; each clerk has a browser of their own.
"""
import json
import re
import uuid
from types import SimpleNamespace

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select

from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.org.models import Unit
from tests.e2e.conftest import SYSTEM, TIMEOUT_MS, menu_link, pick_units, submit, unique_subject
from tests.factories import DEFAULT_PASSWORD, make_unit, make_user
from tests.line_support import wait_until

pytestmark = pytest.mark.e2e

# ---- what the pages say ------------------------------------------------------------------------------

# the app (Thai)
OPEN_LINE = "เปิด LINE"
NOTIFICATIONS_TITLE = "การแจ้งเตือน"
CONFIRM_LINK = "ยืนยันเชื่อมบัญชี LINE นี้"
DO_NOT_LINK = "ไม่เชื่อมบัญชี"
ARRIVAL = "หนังสือเข้าใหม่"
SENT_MESSAGE = "ส่งหนังสือเรียบร้อยแล้ว"
# the local LINE server's pages
FAKE_LINE_TITLE = "LINE จำลอง"
ADD_FRIEND = "เพิ่มบัญชีทางการเป็นเพื่อน"
INVITATION = "เชื่อมบัญชี LINE กับบัญชีผู้ใช้ของท่าน"
LINK_BUTTON = "เชื่อมบัญชี"
BACK_TO_APP = "กลับไปที่ e-Saraban"
LINKED_ON_LINE = "เชื่อมบัญชีแล้ว (linked)"
# the card e-Saraban pushes
OPEN_DOCUMENT = "เปิดหนังสือ"
CLASSIFIED_SUBJECT = "หนังสือชั้นความลับ: เปิดอ่านในระบบ"
URGENT = "ด่วน"

SECONDS = TIMEOUT_MS / 1000


# ---- the organisation, made for each test ------------------------------------------------------------

@pytest.fixture
def org(e2e_app):
    """Units A and B, each with a registry clerk, committed; names and usernames only."""
    tag = uuid.uuid4().hex[:6]
    with e2e_app.app_context():
        a = make_unit(code=f"e2el-a-{tag}", name_th=f"กองคลังทดสอบไลน์ {tag}", letter_code="ลย 51911")
        b = make_unit(code=f"e2el-b-{tag}", name_th=f"กองช่างทดสอบไลน์ {tag}", letter_code="ลย 51912")
        clerk_a = make_user(unit=a, roles=("clerk",), username=f"e2el-clerk-a-{tag}",
                            full_name_th=f"นางสาวธุรการ ก{tag}")
        clerk_b = make_user(unit=b, roles=("clerk",), username=f"e2el-clerk-b-{tag}",
                            full_name_th=f"นายธุรการ ข{tag}")
        return SimpleNamespace(a=a.name_th, a_id=a.id, b=b.name_th, b_id=b.id, tag=tag,
                               clerk_a=clerk_a.username, clerk_b=clerk_b.username)


@pytest.fixture
def make_document(e2e_app):
    """A letter owned by a unit, not sent yet; returns its path."""

    def create(owner_unit_id, subject, *, secrecy="normal", speed="normal"):
        with e2e_app.app_context():
            external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
            details = DocumentDetails(type=external, subject=subject, addressed_to="ผู้อำนวยการกองช่าง",
                                      secrecy=secrecy, speed=speed)
            owner = db.session.get(Unit, owner_unit_id)
            document = create_document(SYSTEM, owner_unit=owner, details=details)
            db.session.commit()
            return f"/documents/{document.id}"

    return create


# ---- one browser per clerk -----------------------------------------------------------------------------


# ---- what the local LINE server received ---------------------------------------------------------------

def fake_log(fake_url, log):
    """GET /_fake/<log> of the local LINE server: pushes, replies, webhooks, contract-errors."""
    with requests.Session() as session:
        session.trust_env = False  # loopback, never through a proxy
        response = session.get(f"{fake_url}/_fake/{log}", timeout=SECONDS)
    response.raise_for_status()
    return response.json()


def sent_to(fake_url, log, line_user_id, containing=""):
    """The pushes (or replies) the local server accepted for one LINE user, `containing` in their JSON."""
    return [record for record in fake_log(fake_url, log) if record["to"] == line_user_id
            and containing in json.dumps(record["messages"], ensure_ascii=False)]


def wait_for_message(fake_url, log, line_user_id, containing=""):
    """The app sends LINE messages from its background jobs: wait until the local server has one."""
    return wait_until(lambda: sent_to(fake_url, log, line_user_id, containing), timeout=SECONDS,
                      message=f"a {log[:-1]} to {line_user_id} with {containing!r}")


def flex_parts(message):
    """(texts, uri actions) of a Flex message, in the order of its components."""
    texts, uris = [], []

    def walk(component):
        if isinstance(component, dict):
            if component.get("type") == "text":
                texts.append(component.get("text"))
            action = component.get("action") or {}
            if action.get("type") == "uri":
                uris.append(action["uri"])
            for value in component.values():
                walk(value)
        elif isinstance(component, list):
            for value in component:
                walk(value)

    walk(message.get("contents"))
    return texts, uris


# ---- what the clerks do ----------------------------------------------------------------------------------

def unread_badge(page):
    """The unread count beside "การแจ้งเตือน" in the header (absent when nothing is unread)."""
    return page.get_by_test_id("notifications-link").get_by_test_id("unread-count")


def unread_count(page):
    badge = unread_badge(page)
    return int(badge.inner_text()) if badge.count() else 0


def chat_of(line_page, line_user_id):
    """One LINE user's chat with the official account on the local server's demo page."""
    return line_page.locator(f"section.chat#chat-{line_user_id}")


def link_line(page, fake_url, app_url, display_name):
    """As a logged-in user: open the LINE page from the header, follow "open LINE" to the local LINE server,
    add the official account as a friend, tap "เชื่อมบัญชี" in its reply, confirm in LINE's dialog and come
    back to the app. Returns the LINE demo page (a tab of the same browser) and the LINE user id."""
    with page.expect_navigation():
        menu_link(page, "/account/line", has_text="LINE").click()
    expect(page).to_have_url(re.compile(r"/account/line$"))
    expect(page.get_by_test_id("line-not-linked")).to_be_visible()
    expect(page.get_by_test_id("line-linked")).to_have_count(0)

    with page.context.expect_page() as opened:
        page.get_by_role("link", name=OPEN_LINE).click()
    line_page = opened.value
    line_page.wait_for_load_state()
    expect(line_page).to_have_url(f"{fake_url}/")
    expect(line_page).to_have_title(FAKE_LINE_TITLE)

    # add the official account as a friend: LINE tells the app (a follow event), the app replies
    line_page.locator("input[name=displayName]").fill(display_name)
    submit(line_page, line_page.get_by_role("button", name=re.compile(ADD_FRIEND)))
    followed = line_page.locator("#followed")
    expect(followed).to_contain_text(display_name)
    line_user_id = followed.locator("code").inner_text().strip()
    assert re.fullmatch(r"U[0-9a-f]{32}", line_user_id), line_user_id
    wait_for_message(fake_url, "replies", line_user_id, containing=LINK_BUTTON)
    line_page.reload()
    chat = chat_of(line_page, line_user_id)
    expect(chat.locator("h2")).to_have_text(display_name)
    invitation = chat.locator("article.card", has_text=INVITATION)
    expect(invitation).to_have_count(1)
    link_button = invitation.get_by_role("link", name=LINK_BUTTON, exact=True)
    expect(link_button).to_have_attribute(
        "href", re.compile(rf"^{re.escape(app_url)}/line/link\?linkToken=[^&]+$"))

    # tapped, the app (the clerk is logged in) names the LINE account it would link; confirmed, it sends
    # them on to LINE's account-link dialog
    with line_page.expect_navigation():
        link_button.click()
    expect(line_page).to_have_url(re.compile(rf"^{re.escape(app_url)}/line/link\?linkToken=[^&]+$"))
    expect(line_page.get_by_test_id("line-link-name")).to_have_text(display_name)
    with line_page.expect_navigation():
        line_page.get_by_role("button", name=CONFIRM_LINK).click()
    expect(line_page).to_have_url(
        re.compile(rf"^{re.escape(fake_url)}/dialog/bot/accountLink\?linkToken=[^&]+&nonce=[^&]+$"))
    expect(line_page.locator("main")).to_contain_text(display_name)
    submit(line_page, line_page.locator("#confirm"))
    expect(line_page.locator("#outcome")).to_have_attribute("data-result", "ok")
    with line_page.expect_navigation():
        line_page.get_by_role("link", name=re.compile(BACK_TO_APP)).click()
    expect(line_page).to_have_url(f"{app_url}/")  # the app's home page, still logged in

    page.reload()
    expect(page.get_by_test_id("line-linked")).to_be_visible()
    expect(page.get_by_test_id("line-not-linked")).to_have_count(0)

    # back on LINE, where the user's chat now says linked
    line_page.goto(f"{fake_url}/")
    expect(chat_of(line_page, line_user_id).locator("p.meta")).to_contain_text(LINKED_ON_LINE)
    return line_page, line_user_id


def send_to_unit(page, document_path, subject, to_unit, note):
    """On the document page, send the letter to `to_unit` with `note`."""
    page.goto(document_path)
    expect(page.locator("main h1")).to_have_text(subject)
    form = page.locator("main form[action$='/send']")
    pick_units(form, "to_unit_ids", (to_unit,))
    form.locator("textarea[name=note]").fill(note)
    submit(page, form.get_by_role("button", name="ส่ง", exact=True))
    expect(page.locator(".alert-success")).to_contain_text(SENT_MESSAGE)


def assert_no_contract_errors(fake_url):
    """Everything the app sent the local LINE server is what LINE's API accepts."""
    assert fake_log(fake_url, "contract-errors") == []
    deliveries = fake_log(fake_url, "webhooks")
    assert [d for d in deliveries if d["status"] != 200] == [], "the app refused a webhook delivery"


# ---- the tests -----------------------------------------------------------------------------------------

def test_a_clerk_links_line_and_a_letter_sent_to_the_unit_reaches_line_the_header_and_the_list(
        org, make_document, open_browser_as, live_server, fake_line):
    subject = unique_subject("ขอเชิญประชุมคณะกรรมการตรวจรับพัสดุ")
    note = "โปรดแจ้งรายชื่อผู้เข้าประชุม"
    document_path = make_document(org.a_id, subject, speed="urgent")
    document_url = f"{live_server}{document_path}"
    display_name = f"สมชาย {org.tag}"

    # 1. clerk B links LINE: demo page → add friend → เชื่อมบัญชี → the app → LINE's dialog → confirm
    clerk_b = open_browser_as(org.clerk_b, DEFAULT_PASSWORD)
    line_b, line_user_id = link_line(clerk_b, fake_line.url, live_server, display_name)
    unread_before = unread_count(clerk_b)

    # 2. clerk A sends the letter to unit B from the document page
    clerk_a = open_browser_as(org.clerk_a, DEFAULT_PASSWORD)
    send_to_unit(clerk_a, document_path, subject, org.b, note)

    # 3. the card reaches clerk B's LINE: as the local server received it ...
    pushes = wait_for_message(fake_line.url, "pushes", line_user_id, containing=subject)
    assert len(pushes) == 1, pushes
    push = pushes[0]
    assert push["delivered"] is True and re.fullmatch(r"[0-9a-f-]{36}", push["retryKey"])
    [message] = push["messages"]
    assert message["type"] == "flex" and subject in message["altText"]
    texts, uris = flex_parts(message)
    assert URGENT in texts and ARRIVAL in texts and subject in texts, texts
    assert f"จาก {org.a}" in texts, texts
    assert note in texts, texts
    assert uris == [document_url]

    # ... and as the LINE demo page shows it, its button leading to the letter in the app
    line_b.reload()
    card = chat_of(line_b, line_user_id).locator("article.card", has_text=subject)
    expect(card).to_have_count(1)
    expect(card.locator(".header")).to_have_text(URGENT)
    expect(card.locator(".body")).to_contain_text(ARRIVAL)
    expect(card.locator(".body")).to_contain_text(f"จาก {org.a}")
    expect(card.get_by_role("link", name=OPEN_DOCUMENT)).to_have_attribute("href", document_url)

    # 4. in the app, clerk B's unread count in the header has gone up
    clerk_b.reload()
    expect(unread_badge(clerk_b)).to_have_text(str(unread_before + 1))

    # 5. the notifications list shows the arrival, new; opening it opens the letter and marks it read
    with clerk_b.expect_navigation():
        clerk_b.get_by_test_id("notifications-link").click()
    expect(clerk_b).to_have_url(re.compile(r"/notifications$"))
    expect(clerk_b.locator("main h1")).to_have_text(NOTIFICATIONS_TITLE)
    notice = clerk_b.get_by_test_id("notice").filter(has_text=subject)
    expect(notice).to_have_count(1)
    expect(notice).to_have_class(re.compile(r"\bapp-new-item\b"))
    expect(notice).to_contain_text(ARRIVAL)
    expect(notice).to_contain_text(org.a)
    expect(notice.locator(".badge")).to_have_text(URGENT)
    with clerk_b.expect_navigation():
        notice.get_by_role("link").click()
    expect(clerk_b).to_have_url(document_url)
    expect(clerk_b.locator("main h1")).to_have_text(subject)
    if unread_before:
        expect(unread_badge(clerk_b)).to_have_text(str(unread_before))
    else:
        expect(unread_badge(clerk_b)).to_have_count(0)

    # 6. the card's button on LINE opens the same letter in the app
    with line_b.expect_navigation():
        card.get_by_role("link", name=OPEN_DOCUMENT).click()
    expect(line_b).to_have_url(document_url)
    expect(line_b.locator("main h1")).to_have_text(subject)

    assert_no_contract_errors(fake_line.url)


def test_the_line_card_of_a_classified_letter_does_not_show_its_subject(
        org, make_document, open_browser_as, live_server, fake_line):
    subject = unique_subject("ลับ รายชื่อผู้ถูกสอบสวนทางวินัย")
    note = "ผลการสอบสวนเบื้องต้นของนายสมปอง"
    document_path = make_document(org.a_id, subject, secrecy="confidential")

    clerk_b = open_browser_as(org.clerk_b, DEFAULT_PASSWORD)
    line_b, line_user_id = link_line(clerk_b, fake_line.url, live_server, f"สมหญิง {org.tag}")
    clerk_a = open_browser_as(org.clerk_a, DEFAULT_PASSWORD)
    send_to_unit(clerk_a, document_path, subject, org.b, note)

    [push] = wait_for_message(fake_line.url, "pushes", line_user_id, containing=CLASSIFIED_SUBJECT)
    sent = json.dumps(push, ensure_ascii=False)
    assert subject not in sent and note not in sent
    texts, uris = flex_parts(push["messages"][0])
    assert CLASSIFIED_SUBJECT in texts and f"จาก {org.a}" in texts, texts
    assert uris == [f"{live_server}{document_path}"]

    line_b.reload()
    chat = chat_of(line_b, line_user_id)
    card = chat.locator("article.card", has_text=CLASSIFIED_SUBJECT)
    expect(card).to_have_count(1)
    expect(card.locator(".body")).to_contain_text(ARRIVAL)
    expect(card.locator(".body")).to_contain_text(f"จาก {org.a}")
    expect(card.get_by_role("link", name=OPEN_DOCUMENT)).to_have_attribute(
        "href", f"{live_server}{document_path}")
    expect(chat).not_to_contain_text(subject)
    expect(chat).not_to_contain_text(note)

    assert_no_contract_errors(fake_line.url)


def test_a_link_sent_by_someone_else_names_their_line_account_and_links_nothing_unless_confirmed(
        org, open_browser_as, live_server, fake_line):
    """Issue 12 item 8: someone adds the official account on their own LINE and sends the "เชื่อมบัญชี" link
    to clerk B, who is logged in. Opening it shows a page naming that LINE account, not LINE's dialog;
    clerk B declines and nothing is linked."""
    stranger = f"บัญชีคนอื่น {org.tag}"
    with requests.Session() as session:
        session.trust_env = False
        friend = session.post(f"{fake_line.url}/_fake/follow", json={"displayName": stranger},
                              timeout=SECONDS).json()
    [reply] = wait_for_message(fake_line.url, "replies", friend["userId"], containing=LINK_BUTTON)
    _, [link_url] = flex_parts(reply["messages"][0])

    clerk_b = open_browser_as(org.clerk_b, DEFAULT_PASSWORD)
    clerk_b.goto(link_url)
    expect(clerk_b).to_have_url(re.compile(rf"^{re.escape(live_server)}/line/link\?linkToken="))
    expect(clerk_b.locator("main h1")).to_have_text("เชื่อมบัญชี LINE")
    expect(clerk_b.get_by_test_id("line-link-name")).to_have_text(stranger)
    masked = clerk_b.get_by_test_id("line-link-id")
    expect(masked).to_have_text(f"{friend['userId'][:5]}…{friend['userId'][-4:]}")
    expect(clerk_b.get_by_role("button", name=CONFIRM_LINK)).to_be_visible()

    with clerk_b.expect_navigation():
        clerk_b.get_by_role("link", name=DO_NOT_LINK).click()
    expect(clerk_b).to_have_url(re.compile(r"/account/line$"))
    expect(clerk_b.get_by_test_id("line-not-linked")).to_be_visible()
    assert [event for hook in fake_log(fake_line.url, "webhooks") for event in hook["body"]["events"]
            if event["type"] == "accountLink" and event.get("source", {}).get("userId") == friend["userId"]] == []

    # and the stranger's LINE chat does not say linked
    with requests.Session() as session:
        session.trust_env = False
        users = session.get(f"{fake_line.url}/_fake/users", timeout=SECONDS).json()
    assert [user["linkedNonce"] for user in users if user["userId"] == friend["userId"]] == [None]
    assert_no_contract_errors(fake_line.url)
