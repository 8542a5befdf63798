"""A registry clerk registers a letter that came by post: the scan and a Word file attached, the receive
number stamped, the files downloadable under their Thai names, the stamp printable, and the letter kept from
units it does not concern."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.core.thai_dates import THAI_MONTHS, today_local
from tests.e2e.conftest import (DEMO_PASSWORD, DOCX_TYPE, PDF_TYPE, docx_bytes, login, logout, pdf_bytes,
                                register_letter, unique_subject, upload)

pytestmark = pytest.mark.e2e

SENDER = "องค์การบริหารส่วนจังหวัดขอนแก่น"
SCAN_NAME = "หนังสือขอความอนุเคราะห์.pdf"
WORD_NAME = "รายละเอียดประกอบ งบประมาณ 2569.docx"
BUDDHIST_DATE = re.compile(r"^\d{1,2} \S+ 25\d\d$")  # 23 พ.ย. 2569
THAI_TIME = re.compile(r"^\d{2}:\d{2} น\.$")  # 14:05 น.


def receipt_value(page, index):
    """The value of the stamp's index-th line: 0 the receive number, 1 the date, 2 the time."""
    return page.locator(".app-receipt-stamp dd").nth(index)


def test_a_clerk_registers_a_posted_letter_with_its_scan_and_a_word_file(page, tmp_path):
    subject = unique_subject()
    dated = today_local() - timedelta(days=3)
    scan, word = pdf_bytes("Khon Kaen PAO letter"), docx_bytes("รายละเอียดประกอบงบประมาณ")
    login(page, "saraban", DEMO_PASSWORD)

    receipt = register_letter(page, subject, sender=SENDER, doc_number="ขก 51001/2345", dated=dated,
                              speed="urgent", files=[upload(SCAN_NAME, PDF_TYPE, scan),
                                                     upload(WORD_NAME, DOCX_TYPE, word)])

    expect(page.locator(".alert-success")).to_be_visible()
    stamp = page.locator(".app-receipt-stamp")
    expect(stamp.locator(".app-receipt-org")).to_have_text("ฝ่ายบริหารงานทั่วไป")
    expect(receipt_value(page, 0)).to_have_text(str(receipt.number))
    expect(receipt_value(page, 1)).to_have_text(BUDDHIST_DATE)
    expect(receipt_value(page, 1)).to_contain_text(str(today_local().year + 543))
    expect(receipt_value(page, 2)).to_have_text(THAI_TIME)
    expect(page.locator("main")).to_contain_text(subject)
    expect(page.locator("main")).to_contain_text("นางสาวกาญจนา บุญมา")  # who registered it
    page.screenshot(path=tmp_path / "receipt.png", full_page=True)

    with page.expect_navigation():
        page.locator(f"main a[href$='{receipt.document_path}']").click()
    expect(page.locator("main h1")).to_have_text(subject)
    details = page.locator(".app-details")
    expect(details).to_contain_text(SENDER)
    expect(details).to_contain_text("ขก 51001/2345")
    expect(details).to_contain_text(f"{dated.day} {THAI_MONTHS[dated.month - 1]} {dated.year + 543}")
    expect(page.locator("main .badge").filter(has_text="ด่วน").first).to_be_visible()  # the speed
    expect(page.locator("main")).to_contain_text(f"{receipt.number}/{today_local().year + 543}")

    panel = page.locator("#attachments")
    expect(panel.locator(".app-attachment-name > a")).to_have_count(2)
    expect(panel.locator(".app-attachment-name > a", has_text=SCAN_NAME)).to_have_text(SCAN_NAME)
    expect(panel.locator(".app-attachment-name > a", has_text=WORD_NAME)).to_have_text(WORD_NAME)
    page.screenshot(path=tmp_path / "document.png", full_page=True)

    for name, content in ((SCAN_NAME, scan), (WORD_NAME, word)):
        row = panel.locator(".list-group-item", has=page.locator(".app-attachment-name > a", has_text=name))
        with page.expect_download() as download_info:
            row.locator("a.btn[href$='/download']").click()  # the Download button
        download = download_info.value
        assert download.failure() is None
        assert download.suggested_filename == name
        saved = tmp_path / f"download-{len(content)}"
        download.save_as(saved)
        assert saved.read_bytes() == content

    preview_href = panel.locator(".app-attachment-name > a", has_text=SCAN_NAME).get_attribute("href")
    preview = page.request.get(preview_href)
    assert preview.ok
    assert preview.headers["content-type"] == PDF_TYPE
    assert preview.body() == scan


def test_the_next_letter_gets_the_next_receive_number(page):
    login(page, "saraban", DEMO_PASSWORD)
    first = register_letter(page, unique_subject("ขอเชิญประชุมคณะกรรมการ"))

    second = register_letter(page, unique_subject("ขอรับการสนับสนุนงบประมาณ"))

    assert second.number == first.number + 1
    assert second.document_id != first.document_id
    expect(receipt_value(page, 0)).to_have_text(str(first.number + 1))


def test_a_clerk_of_another_unit_can_neither_open_nor_list_the_letter(page):
    subject = unique_subject("ขอความอนุเคราะห์ข้อมูลบุคลากร")
    login(page, "saraban", DEMO_PASSWORD)
    receipt = register_letter(page, subject, files=[upload(SCAN_NAME, PDF_TYPE, pdf_bytes())])
    page.goto(receipt.document_path)
    download_href = page.locator("#attachments a[href$='/download']").first.get_attribute("href")
    page.goto("/documents")
    expect(page.locator("main table")).to_contain_text(subject)  # its own unit lists it
    logout(page)

    login(page, "finance.clerk", DEMO_PASSWORD)
    response = page.goto(receipt.document_path)

    assert response.status == 404
    expect(page.locator("main h1")).not_to_contain_text(subject)
    expect(page.locator("main")).not_to_contain_text(subject)
    expect(page.locator("main a[href='/']")).to_be_visible()  # the error page's way back home
    assert page.goto(receipt.url).status == 404  # nor its receipt stamp
    assert page.request.get(download_href).status == 404  # nor its files
    for listing in ("/documents", "/documents?year=all"):
        page.goto(listing)
        expect(page.locator("main table")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(subject)
        expect(page.locator(f"main a[href$='{receipt.document_path}']")).to_have_count(0)


PRINT_SPY = """
window.__printCalls = 0;
window.print = () => { window.__printCalls += 1; };
"""


def test_the_receipt_stamp_prints_without_errors(page, browser_problems, tmp_path):
    page.add_init_script(PRINT_SPY)
    login(page, "saraban", DEMO_PASSWORD)
    receipt = register_letter(page, unique_subject("ขอส่งรายงานผลการดำเนินงาน"))
    print_button = page.locator("main button[data-print]")
    expect(print_button).to_be_visible()

    print_button.click()

    assert page.evaluate("window.__printCalls") == 1
    assert browser_problems.page_errors == []
    assert browser_problems.console_errors == []
    page.emulate_media(media="print")  # what goes on paper: the stamp, without the buttons and the menu
    expect(print_button).to_be_hidden()
    expect(page.locator("nav")).to_be_hidden()
    expect(page.locator(".app-receipt-stamp")).to_be_visible()
    expect(page.locator(".app-receipt-number")).to_have_text(str(receipt.number))
    page.screenshot(path=tmp_path / "receipt-print.png", full_page=True)
