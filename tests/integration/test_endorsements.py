"""Issue 15 item 6, endorsements (เกษียนหนังสือ): the manager's instruction on a registered incoming letter is
stamped in the margin of a copy of the letter's first page and signed with the manager's key; the letter's
own file stays byte for byte as it was. Read back the way a recipient would: pdftotext, pdfsig, pyHanko."""
import hashlib
import io
import json
import subprocess
from types import SimpleNamespace

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from app.attachments import services as attachments
from app.attachments.models import Attachment
from app.attachments.storage import file_store
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.core.models import AuditEvent
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.handling.models import HandlingNote
from app.letters import endorsements, render
from app.letters.kinds import LetterKind
from app.letters.queries import letterhead
from app.signing import services as signing
from app.signing import verify
from tests.conftest import csrf_token_from
from tests.factories import SYSTEM, make_unit, make_user
from tests.pdf_checks import pdf_text, tool, without_spaces
from tests.signing_support import PIN, ca_pem, nss_db, pdfsig

pytestmark = pytest.mark.usefixtures("forget_pin_locks")

INSTRUCTION = "มอบนายช่างโยธาตรวจสอบสภาพถนนสายบ้านนาอ้อ และรายงานผลภายใน ๗ วัน"
MANAGER = "นายสมศักดิ์ รักษ์ถิ่น"
A4 = (595.28, 841.89)
VALID, TRUSTED = "Signature is Valid.", "Certificate is Trusted."



@pytest.fixture
def org():
    works = make_unit(name_th="กองช่าง", letter_code="ลย 51005")
    manager = make_user(unit=works, roles=("manager",), full_name_th=MANAGER)
    manager.position_title = "ผู้อำนวยการกองช่าง"
    other_manager = make_user(unit=works, roles=("manager",), full_name_th="นางสาวอรุณี ผู้อื่น")
    for user in (manager, other_manager):
        signing.set_pin(SYSTEM, user, pin=PIN)
        signing.issue_certificate(SYSTEM, user)
    db.session.commit()
    return SimpleNamespace(works=works, manager=manager, other_manager=other_manager,
                           clerk=make_user(unit=works, roles=("clerk",)),
                           operator=make_user(unit=works, roles=("operator",)))


def a_letter_pdf():
    """A two-page external letter, as another organisation would send it."""
    body = "\n\n".join(["ด้วยถนนสายบ้านนาอ้อ ตำบลนาอ้อ อำเภอเมืองเลย ชำรุดเสียหายจากอุทกภัย "
                        "ประชาชนสัญจรไปมาด้วยความลำบาก จึงขอความอนุเคราะห์ตรวจสอบและซ่อมแซม"] * 9)
    content = render.LetterContent(
        kind=LetterKind.EXTERNAL, subject="ขอความอนุเคราะห์ซ่อมแซมถนน", organisation="เทศบาลตำบลนาอ้อ",
        unit_name="สำนักปลัด", letter_code="ลย 52301",
        fields={"addressee": "นายกองค์การบริหารส่วนจังหวัดเลย", "body": body, "signer_name": "นายสมชาย ใจดี",
                "signer_position": "นายกเทศมนตรีตำบลนาอ้อ", "contact_unit": "สำนักปลัด",
                "contact_phone": "0 4281 1234", "closing": "ขอแสดงความนับถือ"})
    return render.render_pdf(content, letterhead())


def a_scan(pdf, tmp_path):
    """The letter's first page as a scanner would give it: a JPEG."""
    prefix = tmp_path / "scan"
    subprocess.run([tool("pdftoppm"), "-r", "100", "-f", "1", "-l", "1", "-png", "-", str(prefix)], input=pdf,
                   check=True)
    buffer = io.BytesIO()
    Image.open(next(tmp_path.glob("scan*.png"))).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def received(org, files=()):
    """A paper letter registered by the clerk, its files attached, with the manager."""
    details = DocumentDetails(type=db.session.scalar(select(DocumentType).where(DocumentType.code == "external")),
                              subject="ขอความอนุเคราะห์ซ่อมแซมถนน", doc_number="ลย 52301/123",
                              from_text="เทศบาลตำบลนาอ้อ")
    document, _ = handling.receive_paper_letter(Actor(user=org.clerk), unit=org.works, details=details)
    for name, data in files:
        attachments.attach(Actor(user=org.clerk), document, unit=org.works, filename=name, stream=io.BytesIO(data))
    db.session.commit()
    work = handling_queries.open_handling(document, org.works)
    handling.to_manager(Actor(user=org.clerk), work, manager=org.manager, note="เสนอเพื่อโปรดพิจารณาสั่งการ")
    db.session.commit()
    return work


def instructed(org, files=()):
    work = received(org, files)
    handling.assign(Actor(user=org.manager), work, operator=org.operator, instruction=INSTRUCTION)
    db.session.commit()
    note, = [n for n in work.notes if n.kind == "instruction"]
    return work, note


def block_rect(data):
    """The signature widget's rectangle (x1, y1, x2, y2) on the copy's page: the endorsement block."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    widget, = [annot.get_object() for annot in page["/Annots"]]
    return tuple(float(v) for v in widget["/Rect"])


def block_text(path, data):
    """What pdftotext reads inside the endorsement block only (the letter's own lines run beside it)."""
    x1, y1, x2, y2 = block_rect(data)
    height = float(PdfReader(io.BytesIO(data)).pages[0].mediabox.height)
    return pdf_text(path, "-x", str(int(x1)), "-y", str(int(height - y2)), "-W", str(int(x2 - x1) + 1),
                    "-H", str(int(y2 - y1) + 1))


def stored(attachment):
    return file_store().path_for(attachment.sha256).read_bytes()


def stamp(org, work, note, pin=PIN, who=None):
    copy = endorsements.endorse_copy(Actor(user=who or org.manager), work, note, pin=pin)
    db.session.commit()
    return copy


def counts():
    return (db.session.scalar(select(func.count()).select_from(Attachment)),
            db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "letter.endorse")))


# ---- the stamped copy ------------------------------------------------------------------------------------

def test_the_instruction_is_stamped_on_a_signed_one_page_copy_and_the_letter_stays_untouched(org, tmp_path):
    letter = a_letter_pdf()
    assert len(PdfReader(io.BytesIO(letter)).pages) == 2
    work, note = instructed(org, [("letter.pdf", letter)])
    original = db.session.scalars(select(Attachment).where(
        Attachment.document_id == work.document_id)).one()
    before = hashlib.sha256(stored(original)).hexdigest()

    copy = stamp(org, work, note)

    assert hashlib.sha256(stored(original)).hexdigest() == before == original.sha256 == \
        hashlib.sha256(letter).hexdigest()
    assert original.deleted_at is None and copy.frozen_at is not None and copy.content_type == "application/pdf"
    assert copy.filename.startswith("เกษียน-1-") and copy.filename.endswith(".pdf")
    assert note.stamped_attachment_id == copy.id
    data = stored(copy)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 1
    assert (round(float(pages[0].mediabox.width), 1), round(float(pages[0].mediabox.height), 1)) == (595.3, 841.9)
    path = tmp_path / "endorsed.pdf"
    path.write_bytes(data)
    assert without_spaces("ขอความอนุเคราะห์ซ่อมแซมถนน") in without_spaces(pdf_text(path))  # the letter's page
    block = without_spaces(block_text(path, data))
    for expected in (INSTRUCTION, f"({MANAGER})", "ผู้อำนวยการกองช่าง"):
        assert without_spaces(expected) in block, expected
    assert "ด้วยถนน" not in block  # printed beside the letter's words, not over them
    assert "๒๕๖" in block  # the date in the Buddhist Era, in Thai digits

    report = verify.validate_pdf(data)
    assert report.all_valid and [s.signer_name for s in report.signatures] == [MANAGER]
    assert report.signatures[0].trusted and report.signatures[0].intact and report.signatures[0].field_name == \
        "endorsement"
    verdicts, output = pdfsig(path, nss_db(tmp_path / "nss", ca_pem()))
    assert verdicts == [("endorsement", VALID, TRUSTED)], output

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter.endorse")).one()
    assert event.actor_id == org.manager.id
    detail = json.loads(event.detail)
    assert detail["note"] == note.id and detail["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_block_sits_inside_the_page_in_the_bottom_right_margin(org):
    work, note = instructed(org, [("letter.pdf", a_letter_pdf())])
    x1, y1, x2, y2 = block_rect(stored(stamp(org, work, note)))
    assert 0 < x1 < x2 < A4[0] and 0 < y1 < y2 < A4[1]
    assert x1 > A4[0] / 2 and y2 < A4[1] / 2  # bottom right, clear of the letterhead and the receipt stamp


def test_a_scanned_jpeg_letter_becomes_an_a4_page_that_is_stamped_and_signed(org, tmp_path):
    scan = a_scan(a_letter_pdf(), tmp_path)
    work, note = instructed(org, [("scan.jpg", scan)])
    copy = stamp(org, work, note)
    original = db.session.scalars(select(Attachment).where(Attachment.document_id == work.document_id,
                                                           Attachment.id != copy.id)).one()
    assert original.sha256 == hashlib.sha256(scan).hexdigest() == hashlib.sha256(stored(original)).hexdigest()
    data = stored(copy)
    page, = PdfReader(io.BytesIO(data)).pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    path = tmp_path / "scan-endorsed.pdf"
    path.write_bytes(data)
    assert without_spaces(INSTRUCTION) in without_spaces(block_text(path, data))
    assert verify.validate_pdf(data).all_valid


def test_a_second_instruction_is_stamped_on_the_letter_not_on_the_first_copy(org):
    work, note = instructed(org, [("letter.pdf", a_letter_pdf())])
    first = stamp(org, work, note)
    assert endorsements.main_file(work.document).id != first.id


# ---- what is refused, and stores nothing -------------------------------------------------------------------

def test_a_wrong_pin_stores_nothing_and_the_right_one_then_works(org):
    work, note = instructed(org, [("letter.pdf", a_letter_pdf())])
    before = counts()
    with pytest.raises(BusinessRuleError):
        endorsements.endorse_copy(Actor(user=org.manager), work, note, pin="not-my-pin")
    db.session.rollback()
    assert counts() == before and db.session.get(HandlingNote, note.id).stamped_attachment_id is None
    stamp(org, work, note)
    assert counts() == (before[0] + 1, before[1] + 1)


def test_only_the_author_stamps_and_only_once(org):
    work, note = instructed(org, [("letter.pdf", a_letter_pdf())])
    for who in (org.other_manager, org.operator):
        with pytest.raises(BusinessRuleError):
            endorsements.endorse_copy(Actor(user=who), work, note, pin=PIN)
        db.session.rollback()
    assert not endorsements.may_endorse(org.other_manager, note) and endorsements.may_endorse(org.manager, note)
    stamp(org, work, note)
    before = counts()
    with pytest.raises(BusinessRuleError):
        endorsements.endorse_copy(Actor(user=org.manager), work, note, pin=PIN)
    db.session.rollback()
    assert counts() == before and not endorsements.may_endorse(org.manager, note)


def test_a_clerks_note_is_not_an_endorsement(org):
    work, _ = instructed(org, [("letter.pdf", a_letter_pdf())])
    clerk_note = work.notes[0]
    assert clerk_note.kind == "note"
    with pytest.raises(BusinessRuleError):
        endorsements.endorse_copy(Actor(user=org.manager), work, clerk_note, pin=PIN)


# ---- through the document page ---------------------------------------------------------------------------

def test_the_manager_stamps_from_the_document_page_and_the_copy_is_linked_beside_the_instruction(
        org, client, other_client, login):
    work, note = instructed(org, [("letter.pdf", a_letter_pdf())])
    login(other_client, org.other_manager)
    assert 'data-testid="endorse"' not in other_client.get(f"/documents/{work.document_id}").get_data(as_text=True)

    login(client, org.manager)
    page = client.get(f"/documents/{work.document_id}").get_data(as_text=True)
    assert 'data-testid="endorse"' in page and "ประทับเกษียนลงสำเนาหน้าแรก" in page
    response = client.post(f"/notes/{note.id}/endorse", data={
        f"endorse-{note.id}-csrf_token": csrf_token_from(page), f"endorse-{note.id}-pin": PIN},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "เกษียนแล้ว: ดูสำเนาที่ลงนาม" in page and 'data-testid="endorse"' not in page
    assert note.stamped_attachment_id is not None


def test_a_document_without_a_file_gets_a_clear_thai_message(org, client, login):
    work, note = instructed(org)
    login(client, org.manager)
    page = client.get(f"/documents/{work.document_id}").get_data(as_text=True)
    before = counts()
    response = client.post(f"/notes/{note.id}/endorse", data={
        f"endorse-{note.id}-csrf_token": csrf_token_from(page), f"endorse-{note.id}-pin": PIN},
        follow_redirects=True)
    assert "ไม่มีไฟล์ PDF หรือภาพสแกน" in response.get_data(as_text=True)
    assert counts() == before and note.stamped_attachment_id is None


def test_a_wrong_pin_on_the_page_says_so_in_thai(org, client, login):
    work, note = instructed(org, [("letter.pdf", a_letter_pdf())])
    login(client, org.manager)
    page = client.get(f"/documents/{work.document_id}").get_data(as_text=True)
    response = client.post(f"/notes/{note.id}/endorse", data={
        f"endorse-{note.id}-csrf_token": csrf_token_from(page), f"endorse-{note.id}-pin": "0000000"},
        follow_redirects=True)
    assert "PIN ไม่ถูกต้อง" in response.get_data(as_text=True)
    assert note.stamped_attachment_id is None
