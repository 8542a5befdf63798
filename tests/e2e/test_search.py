"""The search page in the browser (R25–R27, R32, R34): conditions joined with OR, sorting by a column header,
another unit finding nothing, the .xlsx download, and a clear message for bad input.

The letters are made through the services on the live app's database: ฝ่ายบริหารงานทั่วไป (saraban) sends
them to กองยุทธศาสตร์และงบประมาณ, whose clerk registers them, so they are in that unit's receive register this
year. Every test puts a marker of its own in its subjects and searches for it, so no test sees another's
letters. Labels of the search page may still be English while translations are added: the tests find things
by data-testid, form names and option values, not by label text.
"""
import io
import re
import uuid

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.org.queries import unit_by_code, user_by_username
from app.routing import services as routing
from tests.e2e.conftest import submit

pytestmark = pytest.mark.e2e

SENDER, SENDING_UNIT = "saraban", "palad.general"
CLERK, UNIT = "strategy.clerk", "strategy"          # กองยุทธศาสตร์และงบประมาณ
OTHER_CLERK = "education.clerk"                     # กองการศึกษา ศาสนาและวัฒนธรรม: never sent these letters
SEARCH_PATH = re.compile(r"/search(\?.*)?$")
ROW = "[data-testid=result-row]"


# ---- the letters, made through the services -------------------------------------------------------------

def marker():
    """A word found in no other test's subjects."""
    return f"mk{uuid.uuid4().hex[:8]}"


@pytest.fixture
def send_letters(e2e_app):
    """send_letters([(subject, speed), ...]): send each from ฝ่ายบริหารงานทั่วไป to กองยุทธศาสตร์ฯ and have its
    clerk register them, in this order (so their receive numbers go up in this order)."""

    def send(letters):
        with e2e_app.app_context():
            external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
            sender, clerk = Actor(user=user_by_username(SENDER)), Actor(user=user_by_username(CLERK))
            from_unit, to_unit = unit_by_code(SENDING_UNIT), unit_by_code(UNIT)
            for subject, speed in letters:
                document = create_document(sender, owner_unit=from_unit, details=DocumentDetails(
                    type=external, subject=subject, speed=speed, doc_number="ลย 51001/ค้นหา"))
                [delivery] = routing.send(sender, document, from_unit=from_unit, to_units=[to_unit])
                handling.register_delivery(clerk, delivery)
            db.session.commit()

    return send


# ---- what a user does on the search page ----------------------------------------------------------------

def open_search(page):
    page.goto("/search")
    expect(page).to_have_url(SEARCH_PATH)
    expect(page.get_by_test_id("search-form")).to_be_visible()


def press_search(page):
    submit(page, page.get_by_test_id("search-form").locator("button[type=submit]"))
    expect(page).to_have_url(SEARCH_PATH)


def search_words(page, words):
    """Type words in the subject box of a fresh search page and press Search."""
    open_search(page)
    page.locator("#q").fill(words)
    press_search(page)


def subjects_shown(page):
    return [text.strip() for text in page.locator(f"{ROW} [data-testid=cell-subject]").all_inner_texts()]


def register_numbers_shown(page):
    """The receive numbers of the rows as shown ("รับ 12/2569" → 12), in order."""
    labels = page.locator(f"{ROW} [data-testid=cell-register]").all_inner_texts()
    numbers = []
    for label in labels:
        match = re.search(r"(\d+)/\d{4}", label)
        assert match, f"register cell {label!r}"
        numbers.append(int(match[1]))
    return numbers


def expect_rows(page, subjects):
    """The results show exactly these subjects, in this order."""
    expect(page.locator(f"{ROW} [data-testid=cell-subject]")).to_have_text(subjects)


def click_sort(page, key):
    with page.expect_navigation():
        page.get_by_test_id(f"sort-{key}").click()
    expect(page).to_have_url(re.compile(rf"[?&]sort={key}(&|$)"))


def expect_sorted_by(page, key, ascending):
    """The column header `key` carries the arrow (▲ ascending, ▼ descending) and aria-sort; no other does."""
    arrow = "▲" if ascending else "▼"
    link = page.get_by_test_id(f"sort-{key}")
    expect(link).to_have_text(re.compile(rf"\s{arrow}$"))
    expect(page.locator("th", has=link)).to_have_attribute("aria-sort", "ascending" if ascending else "descending")
    expect(page.locator("[data-testid^=sort-]", has_text=re.compile("[▲▼]"))).to_have_count(1)


# ---- 1. conditions joined with OR -----------------------------------------------------------------------

def test_an_or_condition_finds_a_thai_word_in_the_middle_of_a_subject_or_the_most_urgent(open_browser_as,
                                                                                           send_letters):
    tag = marker()
    help_request = f"ขอความอนุเคราะห์ข้อมูลงบประมาณประจำปี {tag}"
    meeting = f"ขอเชิญประชุมคณะกรรมการพัฒนาจังหวัด {tag}"
    flood = f"แจ้งเหตุอุทกภัยในพื้นที่อำเภอด่านซ้าย {tag}"
    send_letters([(help_request, "normal"), (meeting, "urgent"), (flood, "most_urgent")])
    clerk = open_browser_as(CLERK)
    open_search(clerk)
    clerk.locator("#q").fill(tag)  # the fields above apply together with the conditions

    advanced = clerk.get_by_test_id("advanced")
    advanced.locator("summary").click()
    rows = advanced.get_by_test_id("condition-row")
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator("select[name=j]")).to_have_count(0)  # the first row has nothing to join to
    rows.nth(0).locator("[data-condition-field]").select_option("subject")
    rows.nth(0).locator("[data-condition-value]").fill("อนุเคราะห์")  # in the middle of ขอความอนุเคราะห์ข้อมูล

    add = clerk.locator("#add-condition")
    expect(add).to_be_visible()
    add.click()
    expect(rows).to_have_count(2)
    second = rows.nth(1)
    expect(second.locator("select[name=j]")).to_be_visible()
    expect(second.locator("input[data-condition-value]")).to_have_value("")
    second.locator("select[name=j]").select_option("or")
    second.locator("[data-condition-field]").select_option("speed")
    # The value box follows the field: a list of speeds instead of a text box.
    expect(second.locator("input[data-condition-value]")).to_have_count(0)
    speed_list = second.locator("select[data-condition-value]")
    expect(speed_list).to_be_visible()
    expect(speed_list.locator("option[value=most_urgent]")).to_have_text(re.compile("ด่วนที่สุด"))
    speed_list.select_option("most_urgent")
    expect(rows.nth(0).locator("[data-condition-value]")).to_have_value("อนุเคราะห์")  # row 1 kept its text
    press_search(clerk)

    expect(clerk.get_by_test_id("results")).to_be_visible()
    expect(clerk.locator(ROW)).to_have_count(2)
    assert sorted(subjects_shown(clerk)) == sorted([help_request, flood])
    expect(clerk.get_by_test_id("result-count")).to_contain_text("2")
    flood_row = clerk.locator(ROW, has=clerk.get_by_test_id("cell-subject").filter(has_text=flood))
    expect(flood_row.locator(".badge")).to_contain_text("ด่วนที่สุด")

    # The page keeps the search as asked: the conditions are open, with OR and the chosen speed.
    advanced = clerk.get_by_test_id("advanced")
    expect(advanced).to_have_attribute("open", "")
    rows = advanced.get_by_test_id("condition-row")
    expect(rows.nth(0).locator("[data-condition-value]")).to_have_value("อนุเคราะห์")
    expect(rows.nth(1).locator("select[name=j]")).to_have_value("or")
    expect(rows.nth(1).locator("[data-condition-field]")).to_have_value("speed")
    expect(rows.nth(1).locator("select[data-condition-value]")).to_have_value("most_urgent")

    # With AND instead, no letter is both about อนุเคราะห์ and most urgent.
    rows.nth(1).locator("select[name=j]").select_option("and")
    press_search(clerk)
    expect(clerk.get_by_test_id("results")).to_be_visible()
    expect(clerk.locator(ROW)).to_have_count(0)
    expect(clerk.get_by_test_id("export")).to_have_count(0)

    # And the word alone, typed in the subject box, finds the one letter it is in the middle of.
    search_words(clerk, f"อนุเคราะห์ {tag}")
    expect_rows(clerk, [help_request])


# ---- 2. sorting by a column ------------------------------------------------------------------------------

def test_clicking_a_column_header_sorts_by_it_and_clicking_again_turns_the_order_round(open_browser_as,
                                                                                        send_letters):
    tag = marker()
    # Registered in this order, so by receive number: cooperation, schedule, criteria. In dictionary order
    # (เ sorts under the consonant after it, so เกณฑ์ comes under ก): schedule, criteria, cooperation.
    cooperation = f"ขอความร่วมมือตอบแบบสำรวจ {tag}"
    schedule = f"กำหนดการตรวจราชการ {tag}"
    criteria = f"เกณฑ์การประเมินผลการปฏิบัติราชการ {tag}"
    send_letters([(cooperation, "normal"), (schedule, "normal"), (criteria, "normal")])
    clerk = open_browser_as(CLERK)
    search_words(clerk, tag)

    expect_sorted_by(clerk, "register", ascending=False)  # newest receive number first by default
    expect_rows(clerk, [criteria, schedule, cooperation])
    newest_first = register_numbers_shown(clerk)
    assert newest_first == sorted(newest_first, reverse=True) and len(set(newest_first)) == 3

    click_sort(clerk, "subject")
    expect_sorted_by(clerk, "subject", ascending=True)
    expect_rows(clerk, [schedule, criteria, cooperation])

    click_sort(clerk, "subject")
    expect_sorted_by(clerk, "subject", ascending=False)
    expect_rows(clerk, [cooperation, criteria, schedule])

    click_sort(clerk, "register")
    expect_sorted_by(clerk, "register", ascending=False)
    expect_rows(clerk, [criteria, schedule, cooperation])
    assert register_numbers_shown(clerk) == newest_first

    click_sort(clerk, "register")
    expect_sorted_by(clerk, "register", ascending=True)
    expect_rows(clerk, [cooperation, schedule, criteria])
    assert register_numbers_shown(clerk) == newest_first[::-1]

    # The order stays when the search is changed and sent again from the form.
    clerk.locator("#q").fill(f"ราชการ {tag}")
    press_search(clerk)
    expect_sorted_by(clerk, "register", ascending=True)
    expect_rows(clerk, [schedule, criteria])


# ---- 3. another unit finds nothing (R34) ----------------------------------------------------------------

def test_a_user_of_another_unit_finds_nothing_of_ours(open_browser_as, send_letters, e2e_app):
    tag = marker()
    subject = f"ขออนุมัติโครงการก่อสร้างถนนลาดยาง {tag}"
    send_letters([(subject, "normal")])
    clerk = open_browser_as(CLERK)
    search_words(clerk, f"ลาดยาง {tag}")
    expect_rows(clerk, [subject])

    other = open_browser_as(OTHER_CLERK)
    search_words(other, f"ลาดยาง {tag}")
    expect(other.get_by_test_id("results")).to_be_visible()
    expect(other.locator(ROW)).to_have_count(0)
    expect(other.get_by_test_id("result-count")).to_contain_text("0")
    expect(other.get_by_test_id("export")).to_have_count(0)
    expect(other.locator("main")).not_to_contain_text(subject)

    # Their list of units does not offer ours, and asking for it by hand gets a message, not our letters.
    with e2e_app.app_context():
        our_unit_id = unit_by_code(UNIT).id
    expect(other.locator(f"#unit option[value='{our_unit_id}']")).to_have_count(0)
    other.goto(f"/search?unit={our_unit_id}&q={tag}")
    expect(other.get_by_test_id("search-error")).to_be_visible()
    expect(other.get_by_test_id("results")).to_have_count(0)
    expect(other.locator("main")).not_to_contain_text(subject)


# ---- 4. the .xlsx download -------------------------------------------------------------------------------

def test_the_xlsx_download_holds_the_rows_shown(open_browser_as, send_letters):
    tag = marker()
    subjects = [f"รายงานผลการดำเนินงานไตรมาสที่ {n} {tag}" for n in (1, 2, 3)]
    send_letters([(subject, speed) for subject, speed in zip(subjects, ("normal", "urgent", "most_urgent"))])
    unrelated = marker()
    send_letters([(f"รายงานผลการดำเนินงานไตรมาสที่ 4 {unrelated}", "normal")])
    clerk = open_browser_as(CLERK)
    search_words(clerk, f"ไตรมาส {tag}")
    click_sort(clerk, "subject")
    expect_rows(clerk, subjects)
    shown_registers = [text.strip() for text in
                       clerk.locator(f"{ROW} [data-testid=cell-register]").all_inner_texts()]

    with clerk.expect_download() as download_info:
        clerk.get_by_test_id("export").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(header) >= 7 and all(header[:7]), f"header {header}"
    assert len(rows) == len(subjects), rows
    assert [row[0] for row in rows] == [1, 2, 3]
    assert [row[6] for row in rows] == subjects  # the same rows in the same order as on the screen
    assert [row[2] for row in rows] == shown_registers
    assert "ด่วนที่สุด" in rows[2][10]  # the speed column
    assert all(unrelated not in str(value) for row in rows for value in row)


# ---- 5. bad input ----------------------------------------------------------------------------------------

def test_a_register_number_that_is_not_a_number_gets_a_clear_message_and_no_results(open_browser_as,
                                                                                   send_letters):
    tag = marker()
    subject = f"ขอส่งรายชื่อผู้เข้ารับการอบรม {tag}"
    send_letters([(subject, "normal")])
    clerk = open_browser_as(CLERK)
    search_words(clerk, tag)
    expect_rows(clerk, [subject])
    [number] = register_numbers_shown(clerk)

    more = clerk.get_by_test_id("search-form").locator("details").first
    more.locator("summary").click()
    register_box = clerk.locator("#reg_number")
    expect(register_box).to_be_visible()
    register_box.fill("abc")
    press_search(clerk)
    error = clerk.get_by_test_id("search-error")
    expect(error).to_have_count(1)
    expect(error).to_be_visible()
    # The message names the field, as its label does (whatever language the label is in yet).
    field_label = clerk.locator("label[for=reg_number]").inner_text().strip()
    expect(error).to_contain_text(field_label)
    expect(clerk.get_by_test_id("results")).to_have_count(0)
    expect(clerk.locator(ROW)).to_have_count(0)
    expect(clerk.get_by_test_id("export")).to_have_count(0)

    # Typed as a number, the same field finds the letter.
    more = clerk.get_by_test_id("search-form").locator("details").first
    if more.get_attribute("open") is None:
        more.locator("summary").click()
    clerk.locator("#q").fill(tag)
    clerk.locator("#reg_number").fill(str(number))
    press_search(clerk)
    expect(clerk.get_by_test_id("search-error")).to_have_count(0)
    expect_rows(clerk, [subject])
