"""Issue 15 item 6 on a 390 × 844 phone: the manager writes the instruction on a registered incoming letter,
stamps it on a copy of the first page with the signing PIN, and the signed copy appears among the files,
its signature valid; the letter's own file is unchanged."""
import hashlib
import io
import uuid
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from app.attachments import services as attachments
from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.signing import services as signing
from app.signing import verify
from tests.e2e.conftest import has_no_horizontal_scroll, submit
from tests.e2e.test_work_and_signing import flash_success, notes, step_form
from tests.factories import DEFAULT_PASSWORD, SYSTEM, make_unit, make_user
from tests.pdf_checks import pdf_text, without_spaces
from tests.signing_support import thai_pdf

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
PIN = "Phuruea-2569"
INSTRUCTION = "มอบฝ่ายแผนงานดำเนินการ และรายงานผลภายใน ๑๕ วัน"


@pytest.fixture
def letter(e2e_app):
    """A paper letter with its PDF, registered by กองช่าง's clerk and passed to the director."""
    tag = uuid.uuid4().hex[:6]
    with e2e_app.app_context():
        unit = make_unit(code=f"e2ek-{tag}", name_th=f"กองช่างทดสอบ {tag}", letter_code="ลย 51805")
        clerk = make_user(unit=unit, roles=("clerk",), username=f"e2ek-clerk-{tag}")
        manager = make_user(unit=unit, roles=("manager",), username=f"e2ek-director-{tag}",
                            full_name_th=f"นายผู้อำนวยการ ช่าง{tag}")
        operator = make_user(unit=unit, roles=("operator",), username=f"e2ek-op-{tag}",
                             full_name_th=f"นางสาวผู้ปฏิบัติ {tag}")
        signing.set_pin(SYSTEM, manager, pin=PIN)
        signing.issue_certificate(SYSTEM, manager)
        subject = f"ขอความร่วมมือสำรวจถนน {tag}"
        details = DocumentDetails(type=db.session.scalar(select(DocumentType).where(DocumentType.code == "external")),
                                  subject=subject, doc_number=f"ลย 0023/{tag}", from_text="อำเภอเมืองเลย")
        document, _ = handling.receive_paper_letter(Actor(user=clerk), unit=unit, details=details)
        original = thai_pdf(f"ขอความร่วมมือสำรวจถนน {tag}")
        attachments.attach(Actor(user=clerk), document, unit=unit, filename="letter.pdf",
                           stream=io.BytesIO(original))
        db.session.commit()
        handling.to_manager(Actor(user=clerk), handling_queries.open_handling(document, unit), manager=manager,
                            note="เสนอเพื่อโปรดพิจารณาสั่งการ")
        db.session.commit()
        return SimpleNamespace(document_id=document.id, subject=subject, original_sha256=hashlib.sha256(
            original).hexdigest(), manager=SimpleNamespace(username=manager.username, name=manager.full_name_th),
            operator=operator.full_name_th)


def test_the_manager_instructs_and_stamps_it_on_a_signed_copy_of_the_first_page_on_a_phone(
        letter, open_browser_as, e2e_app, tmp_path):
    manager = open_browser_as(letter.manager, DEFAULT_PASSWORD, viewport=PHONE_390)
    manager.goto(f"/documents/{letter.document_id}")
    assign = step_form(manager, "assign")
    assign.get_by_label("ผู้ปฏิบัติงาน").select_option(label=letter.operator)
    assign.get_by_label("เกษียนหนังสือ / คำสั่งการ").fill(INSTRUCTION)
    submit(manager, assign.get_by_role("button", name="มอบหมาย", exact=True))
    expect(flash_success(manager)).to_be_visible()

    instruction = notes(manager.get_by_test_id("handling")).filter(has_text=INSTRUCTION)
    endorse = instruction.get_by_test_id("endorse")
    endorse.locator("summary", has_text="ประทับเกษียนลงสำเนาหน้าแรก").click()
    endorse.get_by_label("PIN สำหรับลงนาม").fill("wrong-pin-1")
    submit(manager, endorse.get_by_role("button", name="ประทับและลงนาม"))
    expect(manager.locator(".alert-danger")).to_contain_text("PIN")  # nothing kept; the form is still there

    instruction = notes(manager.get_by_test_id("handling")).filter(has_text=INSTRUCTION)
    endorse = instruction.get_by_test_id("endorse")
    endorse.locator("summary").click()
    endorse.get_by_label("PIN สำหรับลงนาม").fill(PIN)
    assert has_no_horizontal_scroll(manager)
    submit(manager, endorse.get_by_role("button", name="ประทับและลงนาม"))
    expect(flash_success(manager)).to_contain_text("ประทับเกษียนลงสำเนาหน้าแรกและลงนามแล้ว")

    instruction = notes(manager.get_by_test_id("handling")).filter(has_text=INSTRUCTION)
    link = instruction.get_by_test_id("endorsed").get_by_role("link", name="เกษียนแล้ว: ดูสำเนาที่ลงนาม")
    expect(link).to_be_visible()
    expect(instruction.get_by_test_id("endorsed-signature")).to_contain_text(
        f"ลายมือชื่ออิเล็กทรอนิกส์ถูกต้อง ลงนามโดย {letter.manager.name}")
    expect(instruction.get_by_test_id("endorse")).to_have_count(0)  # once per note
    expect(manager.locator("main")).to_contain_text("เกษียน-")  # the copy is among the document's files
    manager.screenshot(path=str(tmp_path / "endorsed-390.png"), full_page=True)

    copy = manager.request.get(link.get_attribute("href")).body()
    path = tmp_path / "endorsed.pdf"
    path.write_bytes(copy)
    assert len(PdfReader(io.BytesIO(copy)).pages) == 1
    assert without_spaces(INSTRUCTION) in without_spaces(pdf_text(path))
    with e2e_app.app_context():
        report = verify.validate_pdf(copy)  # beside Playwright's running loop: app.signing.blocking
    assert report.all_valid and [s.signer_name for s in report.signatures] == [letter.manager.name]

    files = manager.locator("main a[href*='/attachments/']", has_text="letter.pdf")
    original = manager.request.get(files.first.get_attribute("href")).body()
    assert hashlib.sha256(original).hexdigest() == letter.original_sha256
