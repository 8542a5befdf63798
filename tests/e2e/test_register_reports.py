"""The receive register as the regulation's report: on the page, as an Excel workbook and as a PDF in Thai."""
import re
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.core.thai_dates import today_local
from tests.e2e.conftest import DEMO_PASSWORD, login, menu_link, register_letter, unique_subject

pytestmark = pytest.mark.e2e

COLUMNS = ["วันที่ลงทะเบียน", "เลขทะเบียน", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ",
           "หมายเหตุ"]
UNIT = "ฝ่ายบริหารงานทั่วไป"
RECEIVE_REGISTER = "ทะเบียนหนังสือรับ"
SENDER = "องค์การบริหารส่วนจังหวัดขอนแก่น"


def without_spaces(text):
    """Text compared across layouts: a PDF wraps a long subject over lines where no space was typed."""
    return re.sub(r"\s+", "", text)


def test_the_receive_register_shows_the_letter_and_downloads_as_excel_and_pdf(page, tmp_path):
    subject = unique_subject()
    year = today_local().year
    login(page, "saraban", DEMO_PASSWORD)
    receipt = register_letter(page, subject, sender=SENDER, doc_number="ขก 51001/777")

    menu_link(page, "/reports/").click()
    expect(page).to_have_url(re.compile(r"/reports/$"))
    row = page.locator("main tbody tr").filter(has_text=UNIT).filter(has_text=RECEIVE_REGISTER)
    expect(row).to_have_count(1)
    row.locator("select[name=year]").select_option(str(year))
    expect(row.locator("select[name=year] option:checked")).to_have_text(str(year + 543))
    with page.expect_navigation():
        row.locator("button[type=submit]:not([formaction])").click()

    expect(page).to_have_url(re.compile(rf"/reports/registers/\d+\?year={year}$"))
    expect(page.locator("main h1")).to_have_text(f"{RECEIVE_REGISTER} {UNIT} ปี พ.ศ. {year + 543}")
    letter_row = page.locator("main table tbody tr").filter(has_text=subject)
    expect(letter_row).to_have_count(1)
    cells = letter_row.locator("td")
    expect(cells.nth(1)).to_have_text(str(receipt.number))
    expect(cells.nth(2)).to_have_text("ขก 51001/777")
    expect(cells.nth(4)).to_have_text(SENDER)
    expect(cells.nth(5)).to_have_text(UNIT)
    expect(cells.nth(0)).to_contain_text(str(year + 543))
    expect(cells.nth(0)).to_contain_text("น.")
    page.screenshot(path=tmp_path / "register.png", full_page=True)

    with page.expect_download() as download_info:
        page.locator("main form button[formaction$='/register.xlsx']").click()
    xlsx = download_info.value
    assert xlsx.failure() is None
    assert xlsx.suggested_filename.endswith(".xlsx")
    assert UNIT in xlsx.suggested_filename and str(year + 543) in xlsx.suggested_filename
    xlsx_path = tmp_path / "register.xlsx"
    xlsx.save_as(xlsx_path)
    sheet = load_workbook(xlsx_path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert COLUMNS in [list(row[:len(COLUMNS)]) for row in rows], "the nine columns of the register form"
    letter_rows = [row for row in rows if subject in row]
    assert len(letter_rows) == 1
    assert letter_rows[0][1] == receipt.number
    assert letter_rows[0][4] == SENDER

    with page.expect_download() as download_info:
        page.locator("main form button[formaction$='/register.pdf']").click()
    pdf = download_info.value
    assert pdf.failure() is None
    assert pdf.suggested_filename.endswith(".pdf")
    pdf_path = tmp_path / "register.pdf"
    pdf.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    # -raw: the text in the order it was written. pdftotext's reading-order guess puts a tone mark stacked
    # high over a vowel (วันที่) on the next line; the PDF itself has it in place, as the picture shows.
    text = without_spaces(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf_path), "-"],
                                         capture_output=True, check=True, text=True, timeout=60).stdout)
    assert without_spaces(subject) in text
    assert without_spaces(f"{RECEIVE_REGISTER} {UNIT} ปี พ.ศ. {year + 543}") in text
    assert "".join(COLUMNS) in text, "the nine column headings, in order"
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", str(pdf_path),
                    str(tmp_path / "register-page")], check=True, timeout=60)
    first_page = sorted(tmp_path.glob("register-page*.png"))
    assert len(first_page) == 1 and first_page[0].stat().st_size > 10_000  # a picture, not a blank page
