"""Register reports (R17, R23): every number of a register and year, in the regulation's columns, on
screen, as Excel and as PDF with Thai shaped in the embedded Sarabun font; only for the units a user works
for (R34), and classified subjects hidden from those without clearance."""
import io
import re
import shutil
import subprocess
from datetime import date, datetime
from urllib.parse import quote

import openpyxl
import pytest
from sqlalchemy import select

from app.core.actor import Actor
from app.core.models import utcnow
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.registry import services as registry
from app.registry.models import Direction
from tests.conftest import REQUIRE_SERVICES
from tests.factories import make_unit, make_user

HEADERS = ["วันที่ลงทะเบียน", "เลขทะเบียน", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ",
           "หมายเหตุ"]
SUBJECTS = ("ขอความอนุเคราะห์ข้อมูลงบประมาณ", "ผู้ใหญ่บ้านที่ได้รับเลือกตั้ง", "น้ำท่วมฉับพลัน")
SECRET_SUBJECT = "แผนย้ายคลังอาวุธประจำจังหวัด"
CANCEL_REASON = "ลงทะเบียนผิดเล่ม"
REGISTERED_AT = datetime(2026, 11, 23, 7, 5)  # naive UTC: 14:05 on 23 November 2026 in Bangkok
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def external_type():
    return db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))


def receive(actor, unit, subject, *, secrecy="normal", at=REGISTERED_AT):
    details = DocumentDetails(type=external_type(), subject=subject, doc_number="ลย 0023.3/1234",
                              dated=date(2026, 11, 20), from_text="อำเภอเมืองเลย", secrecy=secrecy)
    document = create_document(actor, owner_unit=unit, details=details)
    return registry.issue_number(actor, registry.default_register(unit, Direction.RECEIVE), document, at=at,
                                 counterpart_text=details.from_text)


@pytest.fixture
def unit():
    return make_unit(name_th="กองคลังรายงานทดสอบ", code="finance-report", letter_code="ลย 51004")


@pytest.fixture
def clerk(unit):
    return make_user(unit=unit, roles=("clerk",), full_name_th="นางสาวสมศรี ทะเบียนดี")


@pytest.fixture
def register(unit, clerk):
    """Numbers 1-4 of 2026: three letters, the second cancelled, and a secret one."""
    actor = Actor(user=clerk)
    entries = [receive(actor, unit, subject) for subject in SUBJECTS]
    entries.append(receive(actor, unit, SECRET_SUBJECT, secrecy="secret"))
    registry.cancel_number(actor, entries[1], CANCEL_REASON)
    db.session.commit()
    return entries[0].register


def report_url(register, suffix="", year=2026):
    return f"/reports/registers/{register.id}{suffix}?year={year}"


def workbook_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def poppler(tool, *args):
    if shutil.which(tool) is None:
        message = f"{tool} is missing: `make test` installs poppler-utils"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def saved(response, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    return str(path)


def pdf_text(response, tmp_path):
    return poppler("pdftotext", saved(response, tmp_path), "-")


def without_spaces(text):
    return re.sub(r"\s+", "", text)


def test_the_report_page_lists_every_number_with_who_took_it_and_when(client, login, clerk, register):
    login(client, clerk)
    page = client.get(report_url(register)).get_data(as_text=True)
    assert "ทะเบียนหนังสือรับ กองคลังรายงานทดสอบ ปี พ.ศ. 2569" in page
    for text in (*SUBJECTS, SECRET_SUBJECT, "23 พ.ย. 2569 14:05 น.", "นางสาวสมศรี ทะเบียนดี", "20 พ.ย. 2569",
                 "ลย 0023.3/1234", "อำเภอเมืองเลย", f"ยกเลิก: {CANCEL_REASON}"):
        assert text in page
    numbers = re.findall(r'<td[^>]*class="text-center">(\d+)</td>', page)
    assert numbers == ["1", "2", "3", "4"]
    assert not re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)", page)  # strict CSP: nothing inline


def test_the_excel_file_has_the_regulations_columns_and_every_number_in_order(client, login, clerk, register):
    login(client, clerk)
    response = client.get(report_url(register, "/register.xlsx"))
    assert response.status_code == 200 and response.mimetype == XLSX_TYPE
    disposition = response.headers["Content-Disposition"]
    assert 'filename="register-finance-report-receive-2569.xlsx"' in disposition
    thai_name = quote("ทะเบียนหนังสือรับ กองคลังรายงานทดสอบ 2569.xlsx", safe="")
    assert f"filename*=UTF-8''{thai_name}" in disposition

    sheet, rows = workbook_rows(response)
    assert rows[0][0] == "ทะเบียนหนังสือรับ กองคลังรายงานทดสอบ ปี พ.ศ. 2569"
    assert rows[2] == HEADERS
    assert sheet.freeze_panes == "A4"
    data = rows[3:]
    assert [row[1] for row in data] == [1, 2, 3, 4]
    first = dict(zip(HEADERS, data[0]))
    assert first["วันที่ลงทะเบียน"] == "23 พ.ย. 2569 14:05 น.\nนางสาวสมศรี ทะเบียนดี"
    assert (first["ที่"], first["ลงวันที่"], first["จาก"], first["ถึง"], first["เรื่อง"]) == (
        "ลย 0023.3/1234", "20 พ.ย. 2569", "อำเภอเมืองเลย", "กองคลังรายงานทดสอบ", SUBJECTS[0])
    assert data[1][8] == f"ยกเลิก: {CANCEL_REASON}"
    assert sheet.cell(row=5, column=7).font.strike and not sheet.cell(row=4, column=7).font.strike


def test_the_pdf_carries_the_thai_text_in_the_embedded_sarabun_font(client, login, clerk, register, tmp_path):
    login(client, clerk)
    response = client.get(report_url(register, "/register.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert 'filename="register-finance-report-receive-2569.pdf"' in response.headers["Content-Disposition"]

    fonts = poppler("pdffonts", saved(response, tmp_path)).splitlines()[2:]
    # Every font in the file is an embedded Sarabun subset: no fallback to some other font with Thai glyphs
    assert fonts and all("Sarabun" in line and " yes " in line for line in fonts), fonts
    text = without_spaces(pdf_text(response, tmp_path))
    for expected in (SUBJECTS[0], SUBJECTS[1], "ทะเบียนหนังสือรับกองคลังรายงานทดสอบปีพ.ศ.2569", "หน้า1/1",
                     f"ยกเลิก:{CANCEL_REASON}", "23พ.ย.256914:05น."):
        assert expected in text


def test_numbers_appear_in_the_pdf_in_order(client, login, clerk, register, tmp_path):
    login(client, clerk)
    text = pdf_text(client.get(report_url(register, "/register.pdf")), tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    positions = [lines.index(str(number)) for number in (1, 2, 3, 4)]
    assert positions == sorted(positions)


def test_a_user_of_another_unit_cannot_open_the_register(client, login, register):
    outsider = make_user(unit=make_unit(name_th="กองช่างทดสอบรายงาน"), roles=("clerk", "manager"))
    login(client, outsider)
    for suffix in ("", "/register.xlsx", "/register.pdf"):
        assert client.get(report_url(register, suffix)).status_code == 404, suffix
    assert "กองคลังรายงานทดสอบ" not in client.get("/reports/").get_data(as_text=True)


def test_an_administrator_of_another_unit_sees_the_numbers_but_not_the_letters(client, login, register):
    login(client, make_user(unit=make_unit(), roles=("admin",)))
    assert "กองคลังรายงานทดสอบ" in client.get("/reports/").get_data(as_text=True)
    _, rows = workbook_rows(client.get(report_url(register, "/register.xlsx")))
    assert [(row[1], row[6]) for row in rows[3:]] == [(1, "(ไม่แสดง)"), (2, "(ไม่แสดง)"), (3, "(ไม่แสดง)"),
                                                      (4, "(ลับมาก)")]


def test_a_classified_subject_is_hidden_from_a_user_without_clearance(client, login, unit, register,
                                                                      tmp_path):
    login(client, make_user(unit=unit, roles=("operator",)))
    page = client.get(report_url(register)).get_data(as_text=True)
    _, rows = workbook_rows(client.get(report_url(register, "/register.xlsx")))
    pdf = without_spaces(pdf_text(client.get(report_url(register, "/register.pdf")), tmp_path))
    for output in (page, "\n".join(str(cell) for row in rows for cell in row), pdf):
        assert SECRET_SUBJECT not in output and SUBJECTS[0] in output
        assert "(ลับมาก)" in output
    assert rows[6][1] == 4 and rows[6][6] == "(ลับมาก)"


def test_this_year_is_shown_by_default_and_earlier_years_can_be_chosen(client, login, unit, clerk):
    actor = Actor(user=clerk)
    receive(actor, unit, "หนังสือของปีนี้", at=None)
    register = receive(actor, unit, "หนังสือของปีก่อน", at=datetime(2024, 6, 3, 3, 0)).register
    db.session.commit()
    login(client, clerk)
    this_year = client.get(f"/reports/registers/{register.id}").get_data(as_text=True)
    assert "หนังสือของปีนี้" in this_year and "หนังสือของปีก่อน" not in this_year
    index = client.get("/reports/").get_data(as_text=True)
    assert f'<option value="{registry.local_year(utcnow())}">' in index
    assert '<option value="2024">2567</option>' in index
    earlier = client.get(report_url(register, year=2024)).get_data(as_text=True)
    assert "หนังสือของปีก่อน" in earlier and "ปี พ.ศ. 2567" in earlier


def test_a_register_that_never_restarts_reports_all_years(client, login, unit, clerk):
    actor = Actor(user=clerk)
    register = registry.create_register(actor, unit=unit, code="orders", direction="send",
                                        name_th="ทะเบียนคำสั่ง", yearly_reset=False)
    document = create_document(actor, owner_unit=unit, details=DocumentDetails(
        type=external_type(), subject="แต่งตั้งคณะกรรมการตรวจรับพัสดุ", addressed_to="ผู้อำนวยการกองช่าง"))
    registry.issue_number(actor, register, document, at=datetime(2025, 1, 5))
    db.session.commit()
    login(client, clerk)
    _, rows = workbook_rows(client.get(f"/reports/registers/{register.id}/register.xlsx?year=2026"))
    assert rows[0][0] == "ทะเบียนคำสั่ง กองคลังรายงานทดสอบ ทุกปี"
    assert rows[3][1:9] == [1, None, None, "กองคลังรายงานทดสอบ", "ผู้อำนวยการกองช่าง",
                            "แต่งตั้งคณะกรรมการตรวจรับพัสดุ", None, None]


def test_a_year_without_numbers_still_gives_both_files(client, login, unit, clerk, tmp_path):
    register = registry.default_register(unit, Direction.SEND)
    db.session.commit()
    login(client, clerk)
    _, rows = workbook_rows(client.get(report_url(register, "/register.xlsx", year=2025)))
    assert rows[0][0] == "ทะเบียนหนังสือส่ง กองคลังรายงานทดสอบ ปี พ.ศ. 2568" and rows[2:] == [HEADERS]
    assert "ไม่มีเลขทะเบียนในช่วงนี้" in pdf_text(client.get(report_url(register, "/register.pdf", year=2025)),
                                                  tmp_path)
