"""Work on a letter inside the unit that received it, and signing (issue 4), each person in a browser of their
own: clerks route and close, an operator works and proposes, managers sign from their "to sign" list.

The people and units are made for each test with the factories: unit A sends and writes outgoing letters;
unit B (a กอง) has a section (ฝ่าย) below it where the operator and the section head sit, with the division
head in B itself; unit C is a second recipient. What each of them notices: the letter highlighted in
Incoming, the receive number, the task in "My work", the count of letters to sign in the header, the status
of the work, the notes written on it, the timeline with how long every step waited, and the outgoing number
of a signed letter.
"""
import re
import uuid
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.documents.models import DocumentType
from app.core.thai_dates import THAI_MONTHS, today_local
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.org.models import Unit
from tests.e2e.conftest import RECEIPT_PATH, SYSTEM, menu_link, pick_units, reveal, submit, unique_subject
from tests.factories import DEFAULT_PASSWORD, make_unit, make_user

pytestmark = pytest.mark.e2e

# ---- what the Thai pages say ------------------------------------------------------------------------

TO_SIGN_TITLE = "รอฉันลงนาม"
NOTHING_TO_SIGN = "ไม่มีหนังสือรอท่านลงนาม"
MY_WORK_TITLE = "งานของฉัน"
NEW = "ใหม่"
READ = "เปิดอ่านแล้ว"
REGISTER_BUTTON = "ลงรับ (ออกเลขทะเบียนรับ)"
SENT_MESSAGE = "ส่งหนังสือเรียบร้อยแล้ว"
REGISTERED_MESSAGE = "ลงรับหนังสือเรียบร้อยแล้ว"
ROUTE_HEADING = "เส้นทางหนังสือ"
TIMELINE_HEADING = "ลำดับเหตุการณ์"
UNTIL_NEXT_STEP = "ใช้เวลาถึงขั้นตอนถัดไป"

# the status of the work in a unit (the badge of the "work in ..." card)
WAITING_TO_BE_ROUTED = "รอธุรการส่งต่อภายในหน่วยงาน"
IN_PROGRESS = "อยู่ระหว่างดำเนินการ"
AWAITING_SIGNATURE = "รอลงนาม"
SIGNED = "ลงนามแล้ว"
CLOSED = "ปิดงานแล้ว"
SENT_BACK = "ส่งกลับแก้ไข"
DISPATCHED = "ลงนาม ออกเลข และส่งแล้ว"

# the steps as "My work" names them
WORK_TASK = "ปฏิบัติงาน"
FINISH_TASK = "ปิดงานหรือส่งต่อ"
REVISE_TASK = "แก้ไขตามข้อสังเกต"

# what the messages after each step say
ASSIGNED_MESSAGE = "มอบหมายงานแล้ว"
PROGRESS_MESSAGE = "บันทึกความคืบหน้าแล้ว"
PROPOSED_MESSAGE = "เสนอลงนามแล้ว"
SIGNED_MESSAGE = "ลงนามแล้ว"
SENT_BACK_MESSAGE = "ส่งกลับพร้อมความเห็นของท่านแล้ว"
CLOSED_MESSAGE = "ปิดงานแล้ว"

# the steps of the timeline
TL_SENT = "ส่งถึงหน่วยงาน"  # delivery.send
TL_READ = "ผู้รับเปิดอ่านแล้ว"
TL_NUMBERED = "ลงทะเบียน"
TL_REGISTERED = "ผู้รับลงรับแล้ว"
TL_STARTED = "เริ่มดำเนินการในหน่วยงาน"
TL_ASSIGNED = "มอบหมายผู้ปฏิบัติงาน"
TL_PROGRESS = "รายงานความคืบหน้า"
TL_PROPOSED = "เสนอลงนาม"
TL_SIGNED = "ผู้บริหารลงนาม"
TL_CLOSED = "ปิดงาน"

THAI_DATETIME = re.compile(r"^\d{1,2} \S+ 25\d\d \d{2}:\d{2} น\.$")  # 23 พ.ย. 2569 14:05 น.
THAI_DURATION = re.compile(r"^(ไม่ถึง 1 นาที|\d+ (วัน|ชม\.|นาที)( \d+ (ชม\.|นาที))?)$")
DELIVERY_PATH = re.compile(r"/deliveries/(\d+)$")
DOCUMENT_PATH = re.compile(r"/documents/(\d+)(\?unit=\d+)?$")
SIGNATURES_PATH = re.compile(r"/signatures$")


# ---- the organisation, made for each test ------------------------------------------------------------

def _person(user):
    return SimpleNamespace(username=user.username, name=user.full_name_th)


@pytest.fixture
def org(e2e_app):
    """Units A, B (with a section below it) and C, and their people, committed; names and usernames only."""
    tag = uuid.uuid4().hex[:6]

    def user(unit, role, key, label, level="division_head"):
        return _person(make_user(unit=unit, roles=(role,), manager_level=level, username=f"e2ew-{key}-{tag}",
                                 full_name_th=f"นายทดสอบ {label}{tag}"))

    with e2e_app.app_context():
        a = make_unit(code=f"e2ew-a-{tag}", name_th=f"กองคลังทดสอบ {tag}", letter_code="ลย 51901")
        b = make_unit(code=f"e2ew-b-{tag}", name_th=f"กองช่างทดสอบ {tag}", letter_code="ลย 51902")
        section = make_unit(code=f"e2ew-bs-{tag}", name_th=f"ฝ่ายสำรวจทดสอบ {tag}", kind="section", parent=b,
                            letter_code="ลย 51902")
        c = make_unit(code=f"e2ew-c-{tag}", name_th=f"กองการศึกษาทดสอบ {tag}", letter_code="ลย 51903")
        return SimpleNamespace(
            a=a.name_th, a_id=a.id, b=b.name_th, b_id=b.id, c=c.name_th, c_id=c.id, letter_code_a="ลย 51901",
            clerk_a=user(a, "clerk", "clerk-a", "ธุรการก"),
            operator_a=user(a, "operator", "operator-a", "ผู้ปฏิบัติก"),
            manager_a=user(a, "manager", "manager-a", "ผอ.ก"),
            clerk_b=user(b, "clerk", "clerk-b", "ธุรการข"),
            director_b=user(b, "manager", "director-b", "ผอ.ข"),
            section_head_b=user(section, "manager", "head-b", "หัวหน้าฝ่ายข", level="section_head"),
            operator_b=user(section, "operator", "operator-b", "ผู้ปฏิบัติข"),
        )


@pytest.fixture
def make_document(e2e_app):
    """A letter owned by a unit (not numbered, not sent yet); returns its path."""

    def create(owner_unit_id, subject, recipient_unit_ids=()):
        with e2e_app.app_context():
            external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
            details = DocumentDetails(
                type=external, subject=subject, addressed_to="ผู้อำนวยการกอง",
                recipient_units=[db.session.get(Unit, unit_id) for unit_id in recipient_unit_ids])
            owner = db.session.get(Unit, owner_unit_id)
            document = create_document(SYSTEM, owner_unit=owner, details=details)
            db.session.commit()
            return f"/documents/{document.id}"

    return create


# ---- one browser per person ----------------------------------------------------------------------------


# ---- what people look at -------------------------------------------------------------------------------

def open_menu(page, path):
    """Follow a navbar link (opening its group first)."""
    with page.expect_navigation():
        menu_link(page, path).click()
    expect(page).to_have_url(re.compile(re.escape(path) + r"$"))


def list_row(page, subject):
    """The row of /inbox or /tasks showing the document `subject`."""
    return page.locator("main table tbody tr", has_text=subject)


def signature_row(page, subject):
    return page.get_by_test_id("signature-row").filter(has_text=subject)


def signature_badge(page):
    """The count of letters waiting for my signature, beside "รอลงนาม" in the header."""
    return page.locator("nav a[href$='/signatures']").get_by_test_id("signature-count")


def work_card(page, unit):
    """The "work in <unit>" card of the document page."""
    return page.get_by_test_id("handling").filter(
        has=page.locator("h3", has_text=f"การดำเนินการใน {unit}"))


def step_form(page, step):
    """The form of a step on the document page, opened from the "other actions" menu if it is there."""
    return reveal(page, page.locator(f"main form[data-step='{step}']"))


def notes(card):
    return card.get_by_test_id("handling-notes").locator("li")


def flash_success(page):
    return page.locator(".alert-success")


def route_step(page, from_unit, to_unit):
    card = page.locator("main .app-card", has=page.locator("h2, h3", has_text=ROUTE_HEADING))
    return card.locator("li", has_text=f"{from_unit} → {to_unit}")


def detail(scope, term):
    """The value beside `term` in a list of details (dt/dd)."""
    term_cell = scope.locator("dt", has_text=re.compile(rf"^{re.escape(term)}$"))
    return term_cell.locator("xpath=following-sibling::dd[1]")


def document_number(page):
    """The "ที่" line of the document's details."""
    return detail(page.locator("main .app-details"), "ที่")


def open_task(page, subject, title):
    """From "My work", follow the task `title` of the document `subject` to the document page."""
    open_menu(page, "/tasks")
    expect(page.locator("main h1")).to_have_text(MY_WORK_TITLE)
    row = list_row(page, subject)
    expect(row).to_have_count(1)
    link = row.get_by_role("link", name=title, exact=True)
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    expect(page).to_have_url(DOCUMENT_PATH)
    expect(page.locator("main h1")).to_have_text(subject)


def timeline_rows(page):
    """Every step of the document page's timeline, the earlier ones opened from "show all" if folded."""
    card = page.locator("main .app-card", has=page.locator("h3", has_text=TIMELINE_HEADING))
    expect(card.locator("thead")).to_contain_text(UNTIL_NEXT_STEP)
    show_all = card.get_by_test_id("timeline-show-all")
    if show_all.count():
        show_all.click()
        expect(card.locator("#timeline-earlier")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    return card.locator("tbody tr")


def timeline_step(rows, label):
    """The timeline rows whose step is exactly `label`."""
    step_cell = rows.page.locator("td:nth-child(2)", has_text=re.compile(rf"^{re.escape(label)}$"))
    return rows.filter(has=step_cell)


# ---- the tests -----------------------------------------------------------------------------------------

def test_a_received_letter_is_assigned_worked_on_signed_from_the_list_and_closed(
        org, make_document, open_browser_as):
    subject = unique_subject("ขอความร่วมมือสำรวจข้อมูลถนนในเขตจังหวัด")
    instruction = "มอบงานสำรวจดำเนินการ และรายงานผลภายใน 7 วัน"
    progress = "ลงพื้นที่สำรวจถนนแล้ว 12 สาย"
    proposal = "เห็นควรแจ้งผลการสำรวจให้กองคลังทราบ"
    document_path = make_document(org.a_id, subject)

    clerk_a = open_browser_as(org.clerk_a, DEFAULT_PASSWORD)
    clerk_b = open_browser_as(org.clerk_b, DEFAULT_PASSWORD)
    operator = open_browser_as(org.operator_b, DEFAULT_PASSWORD)
    section_head = open_browser_as(org.section_head_b, DEFAULT_PASSWORD)
    director = open_browser_as(org.director_b, DEFAULT_PASSWORD)

    # 1. clerk A sends it to B and C from the document page
    clerk_a.goto(document_path)
    expect(clerk_a.locator("main h1")).to_have_text(subject)
    send = clerk_a.locator("main form[action$='/send']")
    pick_units(send, "to_unit_ids", (org.b, org.c))
    send.locator("textarea[name=note]").fill("โปรดดำเนินการสำรวจและแจ้งผล")
    submit(clerk_a, send.get_by_role("button", name="ส่ง", exact=True))
    expect(flash_success(clerk_a)).to_contain_text(SENT_MESSAGE)
    expect(route_step(clerk_a, org.a, org.b)).to_contain_text(NEW)
    expect(route_step(clerk_a, org.a, org.c)).to_contain_text(NEW)

    # 2. clerk B: highlighted in Incoming; opened it is read; registered it has its receive number
    open_menu(clerk_b, "/inbox")
    row = list_row(clerk_b, subject)
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bapp-new-item\b"))
    expect(row.locator("td").nth(2)).to_have_text(org.a)
    expect(row.locator("td").nth(4).locator(".badge")).to_have_text(NEW)
    with clerk_b.expect_navigation():
        row.get_by_role("link", name=subject).click()
    expect(clerk_b).to_have_url(DELIVERY_PATH)
    expect(clerk_b.locator("main .app-card").first.locator(".badge").first).to_have_text(READ)
    submit(clerk_b, clerk_b.locator("main button", has_text=REGISTER_BUTTON))
    expect(clerk_b).to_have_url(RECEIPT_PATH)
    expect(flash_success(clerk_b)).to_contain_text(REGISTERED_MESSAGE)
    expect(clerk_b.locator(".app-receipt-org")).to_have_text(org.b)
    expect(clerk_b.locator(".app-receipt-number")).to_have_text(re.compile(r"^\s*[1-9]\d*\s*$"))
    receive_number = clerk_b.locator(".app-receipt-number").inner_text().strip()

    # 3. clerk B assigns it, on the document page, to the operator in B's section
    clerk_b.goto(document_path)
    work = work_card(clerk_b, org.b)
    expect(work.get_by_test_id("handling-status")).to_have_text(WAITING_TO_BE_ROUTED)
    expect(clerk_b.locator("main")).to_contain_text(f"เลขที่ {receive_number}")
    assign = step_form(clerk_b, "assign")
    operators = assign.get_by_label("ผู้ปฏิบัติงาน")
    # only the people of B and of the section below it can be given the work
    expect(operators.locator("option", has_text=org.operator_b.name)).to_have_count(1)
    expect(operators.locator("option", has_text=org.clerk_b.name)).to_have_count(1)
    expect(operators.locator("option", has_text=org.operator_a.name)).to_have_count(0)
    expect(operators.locator("option", has_text=org.clerk_a.name)).to_have_count(0)
    operators.select_option(label=org.operator_b.name)
    assign.get_by_label("เกษียนหนังสือ / คำสั่งการ").fill(instruction)
    submit(clerk_b, assign.get_by_role("button", name="มอบหมาย", exact=True))
    expect(flash_success(clerk_b)).to_contain_text(ASSIGNED_MESSAGE)
    work = work_card(clerk_b, org.b)
    expect(work.get_by_test_id("handling-status")).to_have_text(IN_PROGRESS)
    expect(detail(work, "ผู้ปฏิบัติงาน")).to_have_text(org.operator_b.name)
    expect(notes(work).last).to_contain_text(instruction)
    expect(notes(work).last).to_contain_text(f"→ {org.operator_b.name}")
    expect(step_form(clerk_b, "assign")).to_have_count(0)  # the step has moved on to the operator

    # 4. the operator finds it in My work, records progress and proposes it to the nearest manager
    open_task(operator, subject, WORK_TASK)
    work = work_card(operator, org.b)
    expect(work.get_by_test_id("handling-status")).to_have_text(IN_PROGRESS)
    expect(work).to_contain_text(instruction)
    progress_form = step_form(operator, "progress")
    progress_form.get_by_label("ผลการดำเนินการ").fill(progress)
    progress_form.get_by_label("ความคืบหน้า (%)").fill("60")
    submit(operator, progress_form.get_by_role("button", name="บันทึกความคืบหน้า", exact=True))
    expect(flash_success(operator)).to_contain_text(PROGRESS_MESSAGE)
    work = work_card(operator, org.b)
    expect(notes(work).last).to_contain_text(progress)
    expect(notes(work).last).to_contain_text("60%")
    expect(work.get_by_test_id("handling-status")).to_have_text(IN_PROGRESS)

    propose = step_form(operator, "propose")
    reviewers = propose.get_by_label("เสนอถึง")
    expect(reviewers.locator("option")).to_have_text([org.section_head_b.name, org.director_b.name])
    expect(reviewers.locator("option:checked")).to_have_text(org.section_head_b.name)  # the nearest manager
    propose.get_by_label("ข้อความเสนอ").fill(proposal)
    submit(operator, propose.get_by_role("button", name="เสนอลงนาม", exact=True))
    expect(flash_success(operator)).to_contain_text(PROPOSED_MESSAGE)
    work = work_card(operator, org.b)
    expect(work.get_by_test_id("handling-status")).to_have_text(AWAITING_SIGNATURE)
    expect(detail(work, "รอการลงนามของ")).to_have_text(org.section_head_b.name)
    expect(step_form(operator, "propose")).to_have_count(0)
    open_menu(operator, "/tasks")
    expect(list_row(operator, subject)).to_have_count(0)

    # a manager above in the chain, but not the one it was proposed to, has nothing to sign
    director.goto("/")
    expect(director.locator("nav a[href$='/signatures']")).to_be_visible()
    expect(signature_badge(director)).to_have_count(0)
    open_menu(director, "/signatures")
    expect(director.locator("main h1")).to_contain_text(TO_SIGN_TITLE)
    expect(signature_row(director, subject)).to_have_count(0)
    expect(director.get_by_test_id("signature-total")).to_have_text("0")
    expect(director.locator("main")).to_contain_text(NOTHING_TO_SIGN)

    # 5. the section head: one letter to sign in the header; signed from the list, never opening it
    section_head.goto("/")
    expect(signature_badge(section_head)).to_have_text("1")
    open_menu(section_head, "/signatures")
    expect(section_head.get_by_test_id("signature-total")).to_have_text("1")
    row = signature_row(section_head, subject)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(org.b)
    expect(row).to_contain_text(f"{org.operator_b.name}: {proposal}")
    sign = row.locator("form[data-step='sign']")
    sign.get_by_label("ความเห็นประกอบการลงนาม").fill("ชอบ ดำเนินการตามเสนอ")
    submit(section_head, sign.get_by_role("button", name="ลงนาม", exact=True))
    expect(section_head).to_have_url(SIGNATURES_PATH)
    expect(flash_success(section_head)).to_contain_text(SIGNED_MESSAGE)
    expect(signature_row(section_head, subject)).to_have_count(0)
    expect(section_head.get_by_test_id("signature-total")).to_have_text("0")
    expect(signature_badge(section_head)).to_have_count(0)

    # 6. clerk B closes it from My work; every step is on the timeline, with who, when and how long
    open_task(clerk_b, subject, FINISH_TASK)
    work = work_card(clerk_b, org.b)
    expect(work.get_by_test_id("handling-status")).to_have_text(SIGNED)
    expect(detail(work, "ลงนามโดย")).to_contain_text(org.section_head_b.name)
    close = step_form(clerk_b, "close")
    close.get_by_label("บันทึกการปิดงาน").fill("แจ้งผลให้กองคลังทราบแล้ว")
    submit(clerk_b, close.get_by_role("button", name="ปิดงาน", exact=True))
    expect(flash_success(clerk_b)).to_contain_text(CLOSED_MESSAGE)
    work = work_card(clerk_b, org.b)
    expect(work.get_by_test_id("handling-status")).to_have_text(CLOSED)
    expect(clerk_b.locator("main form[data-step]")).to_have_count(0)
    open_menu(clerk_b, "/tasks")
    expect(list_row(clerk_b, subject)).to_have_count(0)

    clerk_b.goto(document_path)
    rows = timeline_rows(clerk_b)
    expected = [(TL_SENT, org.clerk_a), (TL_READ, org.clerk_b), (TL_NUMBERED, org.clerk_b),
                (TL_REGISTERED, org.clerk_b), (TL_STARTED, org.clerk_b), (TL_ASSIGNED, org.clerk_b),
                (TL_PROGRESS, org.operator_b), (TL_PROPOSED, org.operator_b), (TL_SIGNED, org.section_head_b),
                (TL_CLOSED, org.clerk_b)]
    expect(timeline_step(rows, TL_SENT)).to_have_count(2)  # to B and to C
    for label, person in expected:
        step = timeline_step(rows, label).first
        expect(step).to_be_visible()
        cells = step.locator("td")
        expect(cells.nth(0)).to_have_text(THAI_DATETIME)
        expect(cells.nth(2)).to_contain_text(person.name)
        if label != TL_CLOSED:
            expect(cells.nth(4)).to_have_text(THAI_DURATION)
    last = rows.last
    expect(last.locator("td").nth(1)).to_have_text(TL_CLOSED)
    expect(last.locator("td").nth(4)).to_have_text("")  # nothing after the last step
    steps = [text.strip() for text in rows.locator("td:nth-child(2)").all_inner_texts()]
    positions = [steps.index(label) for label, _ in expected]
    assert positions == sorted(positions), f"the timeline is out of order: {steps}"


def test_an_outgoing_letter_sent_back_then_proposed_again_is_signed_numbered_and_delivered(
        org, make_document, open_browser_as):
    subject = unique_subject("ขอเชิญประชุมเรื่องงบประมาณซ่อมถนน")
    comment = "แก้ไขวันประชุมเป็นวันที่ 15 และแนบกำหนดการ"
    document_path = make_document(org.a_id, subject, recipient_unit_ids=[org.b_id])

    operator = open_browser_as(org.operator_a, DEFAULT_PASSWORD)
    manager = open_browser_as(org.manager_a, DEFAULT_PASSWORD)
    clerk_b = open_browser_as(org.clerk_b, DEFAULT_PASSWORD)

    # the operator proposes A's prepared letter to A's manager
    operator.goto(document_path)
    expect(operator.locator("main h1")).to_have_text(subject)
    expect(document_number(operator)).to_have_text("-")
    propose = step_form(operator, "propose-outgoing")
    expect(propose.get_by_label("เสนอถึง").locator("option:checked")).to_have_text(org.manager_a.name)
    propose.get_by_label("ข้อความเสนอ").fill("เสนอหนังสือเชิญประชุมเพื่อโปรดลงนาม")
    submit(operator, propose.get_by_role("button", name="เสนอ", exact=True))
    expect(flash_success(operator)).to_contain_text(PROPOSED_MESSAGE)
    work = work_card(operator, org.a)
    expect(work.get_by_test_id("handling-status")).to_have_text(AWAITING_SIGNATURE)
    expect(step_form(operator, "propose-outgoing")).to_have_count(0)

    # the manager sends it back with a comment, from the list
    manager.goto("/")
    expect(signature_badge(manager)).to_have_text("1")
    open_menu(manager, "/signatures")
    row = signature_row(manager, subject)
    expect(row).to_have_count(1)
    send_back = row.locator("form[data-step='send-back']")
    send_back.get_by_label("สิ่งที่ต้องแก้ไข").fill(comment)
    submit(manager, send_back.get_by_role("button", name="ส่งกลับแก้ไข", exact=True))
    expect(manager).to_have_url(SIGNATURES_PATH)
    expect(flash_success(manager)).to_contain_text(SENT_BACK_MESSAGE)
    expect(signature_row(manager, subject)).to_have_count(0)
    expect(signature_badge(manager)).to_have_count(0)

    # the operator sees the comment and proposes it again
    open_task(operator, subject, REVISE_TASK)
    work = work_card(operator, org.a)
    expect(work.get_by_test_id("handling-status")).to_have_text(SENT_BACK)
    sent_back_note = notes(work).filter(has_text=comment)
    expect(sent_back_note).to_have_count(1)
    expect(sent_back_note).to_contain_text(SENT_BACK)
    expect(sent_back_note).to_contain_text(org.manager_a.name)
    resubmit = step_form(operator, "resubmit")
    expect(resubmit.get_by_label("เสนอถึง").locator("option:checked")).to_have_text(org.manager_a.name)
    resubmit.get_by_label("ข้อความเสนอ").fill("แก้ไขวันประชุมและแนบกำหนดการแล้ว")
    submit(operator, resubmit.get_by_role("button", name="เสนออีกครั้ง", exact=True))
    expect(flash_success(operator)).to_contain_text(PROPOSED_MESSAGE)
    expect(work_card(operator, org.a).get_by_test_id("handling-status")).to_have_text(AWAITING_SIGNATURE)

    # the manager signs: the letter takes A's next send number and leaves for B at once
    manager.reload()
    expect(signature_badge(manager)).to_have_text("1")
    row = signature_row(manager, subject)
    expect(row).to_contain_text("แก้ไขวันประชุมและแนบกำหนดการแล้ว")
    submit(manager, row.locator("form[data-step='sign']").get_by_role("button", name="ลงนาม", exact=True))
    expect(flash_success(manager)).to_contain_text(SIGNED_MESSAGE)
    expect(manager.locator("main")).to_contain_text(NOTHING_TO_SIGN)

    operator.goto(document_path)
    expect(document_number(operator)).to_have_text(f"{org.letter_code_a}/1")
    # issue 14 item 2: numbered today, so dated today, and from the unit that issued it
    today = today_local()
    details = operator.locator(".app-details")
    expect(details).to_contain_text(f"{today.day} {THAI_MONTHS[today.month - 1]} {today.year + 543}")
    expect(details.locator("dt", has_text="จาก").locator("xpath=following-sibling::dd[1]")).to_have_text(org.a)
    expect(work_card(operator, org.a).get_by_test_id("handling-status")).to_have_text(DISPATCHED)
    expect(route_step(operator, org.a, org.b)).to_contain_text(NEW)

    open_menu(clerk_b, "/inbox")
    row = list_row(clerk_b, subject)
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bapp-new-item\b"))
    expect(row.locator("td").nth(2)).to_have_text(org.a)
