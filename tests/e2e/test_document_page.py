"""The document page is built around the task at hand (issue 14 item 3): what the letter is, the one thing
this user must do now (the other actions behind "การดำเนินการอื่น"), the files, then the history. A clerk
who sends a registered letter on from it is done with it: it leaves งานของฉัน."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.core.actor import Actor
from app.documents.models import Document
from app.extensions import db
from app.handling import queries, services
from app.org.queries import user_by_username
from tests.e2e.conftest import (OTHER_ACTIONS, pick_units, register_letter, reveal, scrolling_in_cards, submit,
                                unique_subject)

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
FINANCE = "กองคลัง"
INSTRUCTION = "มอบงานสำรวจดำเนินการ และรายงานผลภายใน 7 วัน"
TRIAGE_TASK = "พิจารณาส่งต่อภายในหน่วยงาน"
# Before issue 14 item 3 the page was 2,544 px (clerk at triage) and 2,068 px (operator at work) high at
# 1366 px, 4,075 and 3,054 px at 390 px; after it 1,471 (operator) and 2,266 px. With the letter's facts side by
# side, the route beside the work, and the timeline showing its latest steps (item 6), the operator's page
# is about 1,100 and 1,660 px, the clerk's about 1,090 and 1,630 px.
MOST = {("clerk", 1366): 1150, ("clerk", 390): 1750, ("operator", 1366): 1150, ("operator", 390): 1750}


def to_do(page):
    return page.get_by_test_id("todo")


def primary_buttons(page):
    """The buttons of the card's primary action that a user sees (its form's submit button)."""
    return page.get_by_test_id("primary-action").locator("button[type=submit]:visible")


def visible_forms(page):
    return to_do(page).locator("form:visible")


def look_at(page, tmp_path, name, who):
    """Page height and no sideways scrolling at both widths, with a screenshot of each; returns the heights."""
    heights = {}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        height, width = page.evaluate(
            "[document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
        assert width <= viewport["width"], f"{name} scrolls sideways at {viewport['width']} px ({width} px)"
        assert height < MOST[who, viewport["width"]], f"{name} is {height} px high at {viewport['width']} px"
        heights[viewport["width"]] = height
        page.screenshot(path=tmp_path / f"{name}-{viewport['width']}.png", full_page=True)
    print(f"\n{name}: page height {heights}")
    page.set_viewport_size(DESKTOP)
    return heights


def test_the_clerk_registers_a_letter_has_one_thing_to_do_and_sends_it_on_from_the_page(
        open_browser_as, tmp_path):
    subject = unique_subject("ขอความร่วมมือสำรวจข้อมูลถนนในเขตจังหวัด")
    clerk = open_browser_as("saraban", viewport=DESKTOP)
    receipt = register_letter(clerk, subject)
    clerk.goto(receipt.document_path)

    # the letter first, then one thing to do: route it in the unit (มอบหมาย), nothing else open
    expect(clerk.locator("main h1")).to_have_text(subject)
    expect(to_do(clerk).locator("h2")).to_have_text("สิ่งที่ท่านต้องทำ")
    expect(to_do(clerk)).to_contain_text(TRIAGE_TASK)
    expect(primary_buttons(clerk)).to_have_count(1)
    expect(primary_buttons(clerk)).to_have_text("มอบหมาย")
    expect(visible_forms(clerk)).to_have_count(1)
    assert clerk.evaluate("""() => {
      const top = (selector) => document.querySelector(selector).getBoundingClientRect().top;
      return top("main h1") < top("[data-testid=todo]") && top("[data-testid=todo]") < top("#attachments")
        && top("#attachments") < top("#history-title");
    }""")
    look_at(clerk, tmp_path, "clerk-at-triage", "clerk")
    open_menu = to_do(clerk).get_by_role("button", name=OTHER_ACTIONS)
    open_menu.click()
    items = clerk.locator("main .dropdown-menu button")
    expect(items.first).to_be_visible()
    others = [text.strip() for text in items.all_inner_texts()]
    assert others[:3] == ["เสนอผู้บริหารเพื่อสั่งการ", "ส่งต่อหน่วยงานอื่น", "ปิดงาน"], others
    assert "ส่ง" not in others  # one way to send: the delivery that left the clerk's step open is gone
    clerk.keyboard.press("Escape")

    # one way to send: passing it on from the page ends the clerk's own step
    send = reveal(clerk, clerk.locator("main form[action$='/send']"))
    expect(visible_forms(clerk)).to_have_count(2)  # the primary one, and the one opened
    pick_units(send, "to_unit_ids", [FINANCE])
    send.locator("textarea[name=note]").fill("เพื่อโปรดพิจารณาดำเนินการ")
    submit(clerk, send.locator("button[type=submit]"))
    expect(clerk.locator(".alert-success")).to_contain_text("ส่งหนังสือเรียบร้อยแล้ว")
    expect(clerk.get_by_test_id("handling-status")).to_have_text("ส่งต่อหน่วยงานอื่นแล้ว")
    expect(clerk.get_by_test_id("nothing-to-do")).to_have_text("ไม่มีงานที่ต้องทำ")
    expect(primary_buttons(clerk)).to_have_count(0)

    clerk.goto("/tasks")
    expect(clerk.locator("main h1")).to_have_text("งานของฉัน")
    expect(clerk.locator("main table tbody tr", has_text=subject)).to_have_count(0)

    finance = open_browser_as("finance.clerk", viewport=DESKTOP)
    finance.goto("/tasks")
    expect(finance.locator("main table tbody tr", has_text=subject)).to_have_count(1)
    finance.goto(receipt.document_path)  # the receiving clerk's one thing to do is ลงรับ
    expect(primary_buttons(finance)).to_have_text(["ลงรับ (ออกเลขทะเบียนรับ)"])


def test_the_operator_sees_only_their_own_step(open_browser_as, e2e_app, tmp_path):
    subject = unique_subject("ขอรับการสนับสนุนข้อมูลงบประมาณ")
    clerk = open_browser_as("saraban", viewport=DESKTOP)
    receipt = register_letter(clerk, subject)
    with e2e_app.app_context():
        document = db.session.get(Document, int(receipt.document_path.rsplit("/", 1)[1]))
        services.assign(Actor(user=user_by_username("saraban")), queries.open_handling(document, document.owner_unit),
                        operator=user_by_username("palad.officer"), instruction=INSTRUCTION)
        db.session.commit()

    operator = open_browser_as("palad.officer", viewport=DESKTOP)
    operator.goto(receipt.document_path)
    expect(to_do(operator)).to_contain_text(INSTRUCTION)  # what they were asked, above the form
    expect(primary_buttons(operator)).to_have_text(["เสนอลงนาม"])
    expect(visible_forms(operator)).to_have_count(1)
    to_do(operator).get_by_role("button", name=OTHER_ACTIONS).click()
    expect(operator.locator("main .dropdown-menu button")).to_have_text(
        ["บันทึกความคืบหน้า", "ดำเนินการเสร็จ ไม่ต้องลงนาม"])
    operator.keyboard.press("Escape")
    expect(operator.locator("main form[data-step=assign], main form[action$='/send']")).to_have_count(0)
    look_at(operator, tmp_path, "operator-at-work", "operator")

    clerk.goto(receipt.document_path)  # the step is the operator's now: the clerk has nothing to do
    expect(clerk.get_by_test_id("nothing-to-do")).to_be_visible()
    expect(clerk.locator("main form[data-step]")).to_have_count(0)


OPENED = re.compile(r"(^|\s)show(\s|$)")
PROGRESS = ["ประสานกองคลังขอข้อมูลงบประมาณแล้ว", "ได้รับข้อมูลจากกองคลังครบถ้วน", "จัดทำร่างหนังสือตอบแล้ว"]
WORK_STEP = "ปฏิบัติงาน"
GENERAL_AFFAIRS = "ฝ่ายบริหารงานทั่วไป"


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def visually_hidden(locator):
    """Kept for screen readers only: a box of at most 1 px (a stacked table's header row)."""
    box = locator.bounding_box()
    return box is not None and box["width"] <= 1 and box["height"] <= 1


def within_width(locator, width):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1


def test_on_a_phone_the_operator_taps_a_task_card_and_reads_the_long_history_step_by_step(
        open_browser_as, e2e_app, tmp_path):
    """Issue 14 item 6: งานของฉัน is a card per task at 390 px, the whole card one tap target; the document
    page shows the latest steps and notes of a long history, each step a small card naming its unit, and
    the rest behind "show all"; nothing scrolls sideways, inside a card or out."""
    from app.core.thai_dates import format_date, today_local

    subject = unique_subject("ขอความอนุเคราะห์ข้อมูลการใช้จ่ายงบประมาณประจำปี")
    clerk = open_browser_as("saraban", viewport=DESKTOP)
    receipt = register_letter(clerk, subject)
    due = today_local(e2e_app.config["BABEL_DEFAULT_TIMEZONE"]) - timedelta(days=1)
    with e2e_app.app_context():
        document = db.session.get(Document, receipt.document_id)
        document.due_date = due  # yesterday: overdue
        work = queries.open_handling(document, document.owner_unit)
        services.assign(Actor(user=user_by_username("saraban")), work,
                        operator=user_by_username("palad.officer"), instruction=INSTRUCTION)
        officer = Actor(user=user_by_username("palad.officer"))
        for text in PROGRESS:
            services.report_progress(officer, queries.open_handling(document, document.owner_unit), text=text)
        db.session.commit()

    operator = open_browser_as("palad.officer", viewport=PHONE)
    operator.goto("/tasks")
    card = operator.get_by_test_id("task-row").filter(has_text=subject)
    expect(card).to_have_count(1)
    assert visually_hidden(operator.locator("main thead"))  # cards, not a table
    for part, text in (("subject", subject), ("step", WORK_STEP), ("unit", GENERAL_AFFAIRS)):
        cell = card.locator(f".app-task-{part}")
        expect(cell).to_have_text(text)
        assert within_width(cell, 390), part
    due_cell = card.get_by_test_id("task-due")
    expect(due_cell).to_have_text(f"กำหนดเสร็จ {format_date(due)} (เกินกำหนด)")
    assert within_width(due_cell, 390)
    subject_box = card.locator(".app-task-subject").bounding_box()
    step_box = card.locator(".app-task-step").bounding_box()
    assert subject_box["y"] < step_box["y"], "the subject heads the card"
    assert page_width(operator) <= 390
    assert scrolling_in_cards(operator) == []
    operator.screenshot(path=tmp_path / "my-work-390.png", full_page=True)
    with operator.expect_navigation():  # the card is one tap target: a tap on its subject opens the task
        operator.mouse.click(subject_box["x"] + subject_box["width"] / 2,
                             subject_box["y"] + subject_box["height"] / 2)
    expect(operator.locator("main h1")).to_have_text(subject)

    # the page: what to do first, then the history; its latest two steps, each a card naming its unit
    expect(primary_buttons(operator)).to_have_text(["เสนอลงนาม"])
    timeline = operator.locator("#timeline")
    steps = timeline.locator("tbody tr")
    total = steps.count()
    assert total >= 6, total  # created, registered, started, assigned, three progress reports
    expect(timeline.locator("tbody tr:visible")).to_have_count(2)
    assert visually_hidden(timeline.locator("thead"))
    for row in timeline.locator("tbody tr:visible").all():
        for part in ("when", "step", "by", "unit"):
            cell = row.locator(f".app-tl-{part}")
            expect(cell).to_be_visible()
            assert within_width(cell, 390), part
        expect(row.locator(".app-tl-unit")).to_have_text(GENERAL_AFFAIRS)
    notes = operator.get_by_test_id("handling-notes").locator("li")
    expect(notes).to_have_count(4)  # the instruction and three reports
    expect(operator.get_by_test_id("handling-notes").locator("li:visible")).to_have_count(2)
    expect(operator.get_by_test_id("handling-notes").locator("li:visible").last).to_contain_text(PROGRESS[-1])
    assert page_width(operator) <= 390
    assert scrolling_in_cards(operator) == []
    operator.screenshot(path=tmp_path / "history-folded-390.png", full_page=True)

    show_all = timeline.get_by_test_id("timeline-show-all")
    expect(show_all).to_have_text(f"แสดงทั้งหมด {total} ขั้นตอน", use_inner_text=True)
    show_all.click()
    expect(operator.locator("#timeline-earlier")).to_have_class(OPENED)  # the slide-down has finished
    expect(timeline.locator("tbody tr:visible")).to_have_count(total)
    expect(show_all).to_have_text("แสดงเฉพาะล่าสุด", use_inner_text=True)
    operator.get_by_test_id("handling-notes").get_by_role("button", name="แสดงบันทึกทั้งหมด 4 รายการ").click()
    expect(operator.get_by_test_id("handling-notes").locator("ol").first).to_have_class(OPENED)
    expect(operator.get_by_test_id("handling-notes").locator("li:visible")).to_have_count(4)
    assert page_width(operator) <= 390
    assert scrolling_in_cards(operator) == []
    operator.screenshot(path=tmp_path / "history-open-390.png", full_page=True)

    # at a desk the timeline is a table again, its unit column headed
    operator.set_viewport_size(DESKTOP)
    expect(timeline.locator("thead th").nth(3)).to_have_text("หน่วยงาน")
    assert not visually_hidden(timeline.locator("thead"))
    operator.goto("/tasks")
    assert not visually_hidden(operator.locator("main thead"))
    due_cell = operator.get_by_test_id("task-row").filter(has_text=subject).get_by_test_id("task-due")
    expect(due_cell).to_have_text(f"{format_date(due)} (เกินกำหนด)", use_inner_text=True)  # under its heading
