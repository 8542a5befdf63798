"""Sending a document from unit to unit, each clerk in a browser of their own: the registry clerk of
ฝ่ายบริหารงานทั่วไป sends, the clerks of กองคลัง and กองช่าง receive. What each of them notices: the new
letter highlighted in the inbox, the sender's note and the route so far, the receive number when it is
registered, a returned letter marked in the sender's list, a recall before registration, and a recall refused
once the letter has been registered."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (DESKTOP, PHONE, RECEIPT_PATH, elements_cut_off,
                                has_no_horizontal_scroll, menu_link, pick_units, register_letter, reveal,
                                unique_subject)

pytestmark = pytest.mark.e2e

SENDING_UNIT = "ฝ่ายบริหารงานทั่วไป"
FINANCE = "กองคลัง"
ENGINEERING = "กองช่าง"

# The delivery statuses as the Thai pages name them.
NEW = "ใหม่"
READ = "เปิดอ่านแล้ว"
RETURNED = "ตีกลับแล้ว"
RECALLED = "ดึงกลับแล้ว"
REGISTERED = re.compile(r"^ลงรับแล้ว$")

REGISTER_BUTTON = "ลงรับ (ออกเลขทะเบียนรับ)"
RETURN_BUTTON = "ตีกลับ"
RECALL_BUTTON = "ดึงกลับ"
SENT_MESSAGE = "ส่งหนังสือเรียบร้อยแล้ว"
REGISTERED_MESSAGE = "ลงรับหนังสือเรียบร้อยแล้ว"
RETURNED_MESSAGE = "ตีกลับหนังสือเรียบร้อยแล้ว"
RECALLED_MESSAGE = "ดึงหนังสือกลับเรียบร้อยแล้ว"
ROUTE_HEADING = "เส้นทางหนังสือ"
DELIVERY_PATH = re.compile(r"/deliveries/(\d+)$")


# ---- one browser per clerk -------------------------------------------------------------------------


# ---- what the clerks do ----------------------------------------------------------------------------

def open_menu(page, path):
    """Follow a navbar link (opening the collapsed menu first on a narrow screen)."""
    link = menu_link(page, path)
    with page.expect_navigation():
        link.click()
    expect(page).to_have_url(re.compile(re.escape(path) + r"$"))


def send_new_letter(page, subject, to_units, note):
    """As the clerk of ฝ่ายบริหารงานทั่วไป: register a posted letter, open it, and send it on to `to_units`
    with `note` from its "route so far" card. Returns the document's path."""
    receipt = register_letter(page, subject)
    with page.expect_navigation():
        page.locator(f"main a[href$='{receipt.document_path}']").click()
    expect(page.locator("main h1")).to_have_text(subject)
    form = reveal(page, page.locator("main form[action$='/send']"))  # registered: passing it on ends triage
    pick_units(form, "to_unit_ids", to_units)
    form.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(receipt.document_path) + r"$"))
    expect(page.locator(".alert-success")).to_contain_text(SENT_MESSAGE)
    for unit in to_units:
        expect(route_step(page, unit)).to_contain_text(NEW)
    return receipt.document_path


def route_step(page, to_unit):
    """The line of the "route so far" card for the delivery to `to_unit`."""
    card = page.locator("main .app-card", has=page.locator("h2, h3", has_text=ROUTE_HEADING))
    return card.locator("li", has_text=f"{SENDING_UNIT} → {to_unit}")


def list_row(page, subject):
    """The row of /inbox, /sent or /tasks showing the document `subject`."""
    return page.locator("main table tbody tr", has_text=subject)


def inbox_status(row):
    return row.locator("td").nth(4).locator(".badge")


def sent_status(row):
    return row.locator("td").nth(4).locator(".badge")  # sent on, subject, from unit, to, status


def delivery_status(page):
    """The status badge at the top of a delivery's page."""
    return page.locator("main .app-card").first.locator(".badge").first


def open_from_inbox(page, subject):
    open_menu(page, "/inbox")
    with page.expect_navigation():
        list_row(page, subject).locator("a").first.click()
    expect(page).to_have_url(DELIVERY_PATH)
    expect(page.locator("main h1")).to_have_text(subject)


def register_delivery(page):
    """On a delivery's page, press ลงรับ and land on the receipt stamp; returns the receive number."""
    with page.expect_navigation():
        page.locator("main button", has_text=REGISTER_BUTTON).click()
    expect(page).to_have_url(RECEIPT_PATH)
    expect(page.locator(".alert-success")).to_contain_text(REGISTERED_MESSAGE)
    number = page.locator(".app-receipt-number").inner_text().strip()
    assert number.isdigit() and int(number) > 0, f"receive number {number!r}"
    return int(number)


def accept_dialogs(page):
    """Accept every confirm() the page asks; returns the list their messages are collected in."""
    messages = []

    def accept(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return messages


def look_at(page, tmp_path, name, row):
    """Screenshots at desktop and phone width; the row stays on screen and nothing sticks out at 375 px."""
    page.screenshot(path=tmp_path / f"{name}-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    expect(row).to_be_visible()
    assert has_no_horizontal_scroll(page)
    assert elements_cut_off(page) == []
    page.screenshot(path=tmp_path / f"{name}-375.png", full_page=True)
    page.set_viewport_size(DESKTOP)


# ---- the tests -------------------------------------------------------------------------------------

def test_a_letter_sent_to_two_units_is_read_and_registered_by_each_on_its_own(open_browser_as, tmp_path):
    subject = unique_subject("ขอเชิญประชุมชี้แจงการเบิกจ่ายงบประมาณ")
    note = "โปรดพิจารณาดำเนินการและแจ้งผลภายในวันศุกร์"
    sender = open_browser_as("saraban")
    finance = open_browser_as("finance.clerk")
    engineering = open_browser_as("engineering.clerk")

    document_path = send_new_letter(sender, subject, [FINANCE, ENGINEERING], note)

    # กองคลัง: the new letter stands out in หนังสือเข้า
    open_menu(finance, "/inbox")
    row = list_row(finance, subject)
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bapp-new-item\b"))
    expect(inbox_status(row)).to_have_text(NEW)
    expect(row.locator("td").nth(2)).to_have_text(SENDING_UNIT)
    expect(row.locator("td").nth(3)).to_have_text(FINANCE)
    look_at(finance, tmp_path, "inbox", row)

    # opening it: read, with the sender's note and the route so far (กองช่าง has not opened its copy)
    open_from_inbox(finance, subject)
    expect(delivery_status(finance)).to_have_text(READ)
    expect(finance.locator("main")).to_contain_text(f"จาก {SENDING_UNIT}")
    expect(finance.locator("main p", has_text="หมายเหตุ/ข้อสั่งการ")).to_contain_text(note)
    expect(route_step(finance, FINANCE)).to_contain_text(READ)
    expect(route_step(finance, ENGINEERING)).to_contain_text(NEW)
    open_menu(finance, "/inbox")
    row = list_row(finance, subject)
    expect(row).to_have_count(1)
    expect(row).not_to_have_class(re.compile(r"\bapp-new-item\b"))
    expect(inbox_status(row)).to_have_text(READ)
    open_menu(finance, "/tasks")
    expect(list_row(finance, subject)).to_have_count(1)

    # registering it: the receipt stamp of กองคลัง with its receive number
    open_from_inbox(finance, subject)
    number = register_delivery(finance)
    expect(finance.locator(".app-receipt-org")).to_have_text(FINANCE)
    expect(finance.locator("main")).to_contain_text(subject)
    assert finance.url.split("/receipt/")[0].endswith(document_path)
    open_menu(finance, "/tasks")  # registered: the review task is gone, the unit's own work begins
    expect(finance.locator("main h1")).to_have_text("งานของฉัน")
    expect(list_row(finance, subject)).to_have_count(1)
    expect(list_row(finance, subject)).to_contain_text("พิจารณาส่งต่อภายในหน่วยงาน")
    expect(list_row(finance, subject)).not_to_contain_text("ลงรับหรือตีกลับ")
    open_menu(finance, "/inbox")
    expect(list_row(finance, subject)).to_have_count(0)

    # กองช่าง's delivery is its own: still new, still a task, and it can still be registered
    open_menu(engineering, "/inbox")
    expect(list_row(engineering, subject)).to_have_class(re.compile(r"\bapp-new-item\b"))
    open_menu(engineering, "/tasks")
    task = list_row(engineering, subject)
    expect(task).to_have_count(1)
    expect(task).to_contain_text(SENDING_UNIT)
    with engineering.expect_navigation():
        task.locator("a").first.click()
    expect(engineering).to_have_url(DELIVERY_PATH)
    expect(delivery_status(engineering)).to_have_text(READ)
    expect(route_step(engineering, FINANCE)).to_contain_text("ลงรับเมื่อ")
    expect(engineering.locator("main button", has_text=REGISTER_BUTTON)).to_be_visible()
    assert register_delivery(engineering) > 0
    expect(engineering.locator(".app-receipt-org")).to_have_text(ENGINEERING)

    # the sender sees both registered, on the document's route
    sender.goto(document_path)
    expect(route_step(sender, FINANCE)).to_contain_text("ลงรับเมื่อ")
    expect(route_step(sender, ENGINEERING)).to_contain_text("ลงรับเมื่อ")
    expect(sender.locator("main")).to_contain_text(str(number))  # กองคลัง's number, in the register card


def test_a_returned_letter_shows_in_the_senders_list_with_the_reason(open_browser_as, tmp_path):
    subject = unique_subject("ขอรับการสนับสนุนวัสดุก่อสร้าง")
    reason = "ไม่ใช่งานของกองคลัง"
    sender = open_browser_as("saraban")
    finance = open_browser_as("finance.clerk")
    document_path = send_new_letter(sender, subject, [FINANCE], "เพื่อโปรดทราบ")

    open_from_inbox(finance, subject)
    form = finance.locator("main form[action$='/return']")
    form.locator("textarea[name=note]").fill(reason)
    with finance.expect_navigation():
        form.locator("button", has_text=RETURN_BUTTON).click()
    expect(finance).to_have_url(re.compile(r"/inbox$"))
    expect(finance.locator(".alert-success")).to_contain_text(RETURNED_MESSAGE)
    expect(list_row(finance, subject)).to_have_count(0)

    open_menu(sender, "/sent")
    row = list_row(sender, subject)
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bapp-returned-item\b"))
    expect(sender.locator("main table tbody tr").first).to_contain_text(subject)  # returned ones come first
    expect(row.locator(".text-danger")).to_contain_text(f"ถูกตีกลับโดย {FINANCE}")
    expect(row.locator(".text-danger")).to_contain_text(reason)
    expect(sent_status(row)).to_have_text(RETURNED)
    expect(row.locator("button", has_text=RECALL_BUTTON)).to_have_count(0)
    look_at(sender, tmp_path, "sent", row)

    sender.goto(document_path)
    expect(route_step(sender, FINANCE)).to_contain_text(RETURNED)
    expect(route_step(sender, FINANCE)).to_contain_text(reason)


def test_the_sender_recalls_a_letter_before_it_is_registered(open_browser_as):
    subject = unique_subject("ขอยกเลิกหนังสือเชิญประชุม")
    sender = open_browser_as("saraban")
    finance = open_browser_as("finance.clerk")
    document_path = send_new_letter(sender, subject, [FINANCE], "ส่งผิดฉบับ")
    open_menu(finance, "/inbox")
    expect(list_row(finance, subject)).to_have_count(1)

    open_menu(sender, "/sent")
    questions = accept_dialogs(sender)
    row = list_row(sender, subject)
    with sender.expect_navigation():
        row.locator("button", has_text=RECALL_BUTTON).click()
    assert questions == [f"ต้องการดึงหนังสือนี้กลับจาก {FINANCE} หรือไม่"]
    expect(sender).to_have_url(re.compile(r"/sent$"))
    expect(sender.locator(".alert-success")).to_contain_text(RECALLED_MESSAGE)
    expect(sent_status(row)).to_have_text(RECALLED)
    expect(row.locator("button", has_text=RECALL_BUTTON)).to_have_count(0)

    # กองคลัง still has the old inbox open: its link now leads nowhere, the delivery is gone for them
    old_link = list_row(finance, subject).locator("a").first.get_attribute("href")
    assert finance.goto(old_link).status == 404
    open_menu(finance, "/inbox")
    expect(finance.locator("main h1")).to_be_visible()
    expect(list_row(finance, subject)).to_have_count(0)
    open_menu(finance, "/tasks")
    expect(list_row(finance, subject)).to_have_count(0)
    assert finance.goto(document_path).status == 404  # nor can กองคลัง open the document any more


def test_a_recall_after_registration_is_refused(open_browser_as):
    subject = unique_subject("ขอส่งรายงานการเงินประจำเดือน")
    sender = open_browser_as("saraban")
    finance = open_browser_as("finance.clerk")
    document_path = send_new_letter(sender, subject, [FINANCE], "เพื่อโปรดลงรับ")
    open_menu(sender, "/sent")  # left open while กองคลัง registers
    row = list_row(sender, subject)
    expect(row.locator("button", has_text=RECALL_BUTTON)).to_be_visible()

    open_from_inbox(finance, subject)
    number = register_delivery(finance)

    accept_dialogs(sender)
    with sender.expect_navigation():
        row.locator("button", has_text=RECALL_BUTTON).click()
    expect(sender).to_have_url(re.compile(r"/sent$"))
    refusal = sender.locator(".alert-danger")
    expect(refusal).to_contain_text("สายเกินไป")
    expect(refusal).to_contain_text(FINANCE)
    expect(sender.locator(".alert-success")).to_have_count(0)
    row = list_row(sender, subject)
    expect(sent_status(row)).to_have_text(REGISTERED)
    expect(row.locator("button", has_text=RECALL_BUTTON)).to_have_count(0)

    sender.goto(document_path)
    expect(route_step(sender, FINANCE)).to_contain_text("ลงรับเมื่อ")
    finance.goto(document_path)
    expect(finance.locator("main h1")).to_have_text(subject)  # still กองคลัง's, with its number
    expect(finance.locator("main")).to_contain_text(str(number))
