"""Issue 14 items 6 and 7 as people see them: every main page fits a 390 px phone (wide tables become stacked
cards), the grouped menu fits one line at 1366 px, the unit picker finds units by typed Thai and sends to the
ticked ones, the English UI names workflow steps in English, and the Thai UI gives WTForms' errors in Thai."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (DEMO_PASSWORD, elements_cut_off, login, menu_link, register_letter, reveal,
                                scrolling_in_cards, submit, switch_language, unique_subject, unit_picker)

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
LAPTOP_1366 = {"width": 1366, "height": 768}
EDUCATION = "กองการศึกษา ศาสนาและวัฒนธรรม"
SENT_MESSAGE = "ส่งหนังสือเรียบร้อยแล้ว"


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def expect_fits_390(page, path, tmp_path):
    response = page.goto(path)
    assert response.ok, path
    assert page_width(page) <= 390, f"{path} is {page_width(page)} px wide"
    assert elements_cut_off(page) == [], path
    assert scrolling_in_cards(page) == [], path
    name = re.sub(r"\W+", "-", path).strip("-") or "home"
    page.screenshot(path=tmp_path / f"{name}-390.png", full_page=True)


def send_from_document(page, document_path, typed, unit):
    """On the document page, find `unit` in the picker by typing `typed`, tick it and send."""
    page.goto(document_path)
    form = reveal(page, page.locator("main form[action$='/send']"))  # registered: sending on is behind the menu
    picker = unit_picker(form, "to_unit_ids")
    picker.locator(".unit-picker-filter").fill(typed)
    expect(picker.get_by_label(unit, exact=True)).to_be_visible()
    picker.get_by_label(unit, exact=True).check()
    expect(picker.locator(".unit-picker-chip")).to_have_text([unit])
    submit(page, form.locator("button[type=submit]"))
    expect(page.locator(".alert-success")).to_contain_text(SENT_MESSAGE)


@pytest.fixture(scope="module")
def sent_letter(browser, live_server):
    """A letter registered by saraban (ฝ่ายบริหารงานทั่วไป) and sent to กองการศึกษา: something on every list."""
    context = browser.new_context(base_url=live_server, viewport=LAPTOP_1366, locale="th-TH")
    page = context.new_page()
    login(page, "saraban", DEMO_PASSWORD)
    subject = unique_subject("ขอเชิญประชุมคณะกรรมการจัดงานประเพณีผีตาโขนประจำปีและรายงานผลการดำเนินงาน")
    receipt = register_letter(page, subject)
    send_from_document(page, receipt.document_path, "การศึกษา", EDUCATION)
    context.close()
    return subject, receipt


def test_the_unit_picker_narrows_by_typed_thai_and_english_and_sends_to_the_ticked_unit(page, sent_letter):
    subject, receipt = sent_letter
    page.set_viewport_size(LAPTOP_1366)
    login(page, "saraban", DEMO_PASSWORD)
    page.goto(receipt.document_path)
    form = reveal(page, page.locator("main form[action$='/send']"))
    expect(form.locator("select[name=to_unit_ids]")).to_be_hidden()  # the picker stands in for it
    picker = unit_picker(form, "to_unit_ids")
    expect(picker).to_contain_text("ติ๊กเลือกทุกหน่วยงาน")  # the hint
    boxes = picker.locator("input[type=checkbox]")
    everything = boxes.count()
    assert everything > 5

    picker.locator(".unit-picker-filter").fill("การศึกษา")
    expect(picker.locator(".form-check:visible")).to_have_count(1)
    expect(picker.locator(".form-check:visible")).to_have_text(EDUCATION)
    picker.locator(".unit-picker-filter").fill("education")  # the English name finds it on the Thai page
    expect(picker.locator(".form-check:visible")).to_have_text(EDUCATION)
    picker.locator(".unit-picker-filter").fill("ไม่มีหน่วยงานชื่อนี้")
    expect(picker.locator(".form-check:visible")).to_have_count(0)
    expect(picker).to_contain_text("ไม่พบหน่วยงานที่ตรงกัน")
    picker.locator(".unit-picker-filter").fill("")
    expect(picker.locator(".form-check:visible")).to_have_count(everything)

    # the letter went where it was sent: its route names กองการศึกษา, waiting as new
    route = page.locator("main .app-card", has=page.locator("h2, h3", has_text="เส้นทางหนังสือ"))
    expect(route.locator("li", has_text=EDUCATION)).to_contain_text("ใหม่")


def test_a_chip_removes_its_unit_and_the_send_form_starts_with_the_letters_recipients(page, e2e_app):
    from app.core.actor import Actor
    from app.documents import services as documents
    from app.documents.models import DocumentType
    from app.extensions import db
    from app.org import queries as org

    subject = unique_subject("แจ้งกำหนดการตรวจสอบพัสดุประจำปี")
    with e2e_app.app_context():
        owner = org.unit_by_code("palad.general")
        document, _ = documents.register_paper_letter(
            Actor.system("test"), unit=owner,
            details=documents.DocumentDetails(
                type=db.session.scalars(db.select(DocumentType)).first(), subject=subject,
                recipient_units=[org.unit_by_code("education")]))
        db.session.commit()
        document_path = f"/documents/{document.id}"

    page.set_viewport_size(LAPTOP_1366)
    login(page, "saraban", DEMO_PASSWORD)
    page.goto(document_path)
    picker = unit_picker(reveal(page, page.locator("main form[action$='/send']")), "to_unit_ids")
    chips = picker.locator(".unit-picker-chip")
    expect(chips).to_have_text([EDUCATION])  # named as a recipient, so already chosen
    expect(picker.get_by_label(EDUCATION, exact=True)).to_be_checked()
    chips.first.get_by_role("button").click()
    expect(chips).to_have_count(0)
    expect(picker.get_by_label(EDUCATION, exact=True)).not_to_be_checked()


def test_the_main_pages_fit_a_390_px_phone(page, sent_letter, tmp_path):
    subject, receipt = sent_letter
    page.set_viewport_size(PHONE_390)
    login(page, "saraban", DEMO_PASSWORD)
    for path in ("/", "/tasks", "/inbox", "/sent", "/documents", receipt.document_path,
                 f"{receipt.document_path}/route"):
        expect_fits_390(page, path, tmp_path)

    page.goto("/search")
    page.locator("#q").fill(subject.split()[-1])
    submit(page, page.get_by_test_id("search-form").locator("button[type=submit]"))
    rows = page.locator("[data-testid=result-row]")
    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("cell-subject")).to_be_in_viewport()  # the subject is on screen
    assert page_width(page) <= 390
    assert elements_cut_off(page) == []
    page.screenshot(path=tmp_path / "search-390.png", full_page=True)

    menu_link(page, "/reports/").click()
    row = page.locator("main tbody tr").filter(has_text="ฝ่ายบริหารงานทั่วไป").filter(has_text="ทะเบียนหนังสือรับ")
    submit(page, row.first.get_by_role("button", name="ดู", exact=True))  # the receive register's report
    expect(page.locator("main tbody")).to_contain_text(subject)
    expect(page.locator("main table tbody tr").first).to_be_visible()
    assert page_width(page) <= 390, page.url
    assert elements_cut_off(page) == [], page.url
    page.screenshot(path=tmp_path / "report-390.png", full_page=True)


def test_a_manager_reads_the_numbers_of_each_unit_on_a_390_px_phone_without_scrolling_sideways(page, tmp_path):
    """The director's table of units (กองคลัง and the two ฝ่าย below it) is a card per unit on a phone: its
    name, then each number beside the name of its column, all on screen, and a tap opens its list."""
    page.set_viewport_size(PHONE_390)
    login(page, "finance.director", DEMO_PASSWORD)
    table = page.get_by_test_id("unit-table")
    rows = table.get_by_test_id("unit-row")
    expect(rows).to_have_count(3)
    assert page_width(page) <= 390
    assert scrolling_in_cards(page) == [], "a table scrolls sideways inside its card"
    for row in rows.all():
        cells = row.locator("td")
        expect(cells).to_have_count(8)
        for cell in cells.all():
            box = cell.locator("a").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, cell.get_attribute("data-label")
        expect(cells.first).to_have_attribute("data-label", "หนังสือเข้าใหม่")
    table.screenshot(path=tmp_path / "units-390.png")
    finance = rows.filter(has=page.locator("th", has_text=re.compile("^กองคลัง$")))
    open_work = finance.get_by_test_id("cell-open_work")
    count = int(open_work.inner_text())
    submit(page, open_work)
    expect(page.get_by_test_id("list-scope")).to_have_text("กองคลัง")
    assert page_width(page) <= 390
    assert scrolling_in_cards(page) == [], page.url
    if count:
        expect(page.locator("[data-testid=dashboard-row]").first).to_be_visible()


def test_the_admin_lists_fit_a_390_px_phone(page, tmp_path):
    page.set_viewport_size(PHONE_390)
    login(page, "admin", DEMO_PASSWORD)
    for path in ("/admin/units", "/admin/users"):
        expect_fits_390(page, path, tmp_path)
    # the stacked rows name their columns
    expect(page.locator("main tbody tr").first.locator("td").first).to_have_attribute("data-label", "ชื่อ")


def test_the_menu_fits_one_line_at_1366_px_and_every_group_opens(page, tmp_path):
    page.set_viewport_size(LAPTOP_1366)
    login(page, "admin", DEMO_PASSWORD)
    items = page.locator("nav .navbar-nav > .nav-item, nav .navbar-nav > .nav-link")
    tops = {round(box["y"]) for box in (item.bounding_box() for item in items.all()) if box}
    assert len(tops) == 1, f"menu items on {len(tops)} lines: {sorted(tops)}"
    assert page_width(page) <= 1366
    page.screenshot(path=tmp_path / "menu-1366.png")
    for path in ("/documents", "/sent", "/following", "/account/line",
                 "/account/password", "/search", "/reports/", "/admin/units", "/tasks"):
        expect(menu_link(page, path)).to_be_visible()
        page.keyboard.press("Escape")  # close the group again


def test_the_english_ui_names_workflow_steps_in_english(page, sent_letter, make_account):
    username = make_account(unit_code="education", roles=(("clerk", None),))
    login(page, username, "Phukradueng2569")
    page.goto("/tasks")
    subject, _ = sent_letter
    row = page.get_by_test_id("task-row").filter(has_text=subject)
    expect(row.locator("td").nth(1)).to_have_text("ลงรับหรือตีกลับ")

    switch_language(page, "English")
    row = page.get_by_test_id("task-row").filter(has_text=subject)
    expect(row.locator("td").nth(1)).to_have_text("Register or return")


def test_the_route_table_heads_its_send_time_column_as_a_time(page, sent_letter):
    _, receipt = sent_letter
    login(page, "saraban", DEMO_PASSWORD)
    page.goto(f"{receipt.document_path}/route")
    headings = page.locator("main thead th")
    expect(headings.nth(2)).to_have_text("เวลาส่ง")
    expect(page.locator("main thead")).not_to_contain_text("หนังสือส่งออก")


def test_the_thai_ui_gives_wtforms_errors_in_thai(page):
    login(page, "admin", DEMO_PASSWORD)
    page.goto("/admin/units/new")
    form = page.locator("main form").filter(has=page.locator("input[name=name_th]"))
    # what an old browser (no required attribute checks) or a tampered page would send: no Thai name and a
    # kind that is not one of the choices
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("input[name=code]").fill("e2e.bad.kind")
    form.locator("select[name=kind] option").first.evaluate("option => { option.value = 'bogus'; }")
    form.locator("select[name=kind]").select_option("bogus")
    submit(page, form.locator("button[type=submit]"))
    errors = page.locator(".invalid-feedback")
    expect(errors.filter(has_text="กรุณากรอกช่องนี้")).to_have_count(1)
    expect(errors.filter(has_text="ตัวเลือกไม่ถูกต้อง")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("This field is required")
    expect(page.locator("main")).not_to_contain_text("Not a valid choice")
