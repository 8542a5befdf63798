"""Letters written in the system (issue 15, R36 E-Form): writing a letter of each of the regulation's kinds,
its revisions and what changed, when it may change, and the PDF it becomes, read back the way a recipient
would (pdftotext, OCR) and measured against the regulation's layout."""
import re
from types import SimpleNamespace

import pdfplumber
import pytest
from sqlalchemy import func, select

from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.documents.models import Document, DocumentType
from app.extensions import db
from app.handling import services as handling
from app.handling import queries as handling_queries
from app.letters import queries, render, services, signatures, verification
from app.registry.models import RegisterEntry
from app.letters.kinds import KINDS, LetterKind
from app.letters.models import Letter
from tests.conftest import csrf_token_from
from tests.factories import SYSTEM, make_unit, make_user
from tests.pdf_checks import (character_error_rate, ocr_first_page, pdf_text, qr_codes_on_first_page,
                               without_spaces)
from tests.signing_support import PIN, ca_pem, nss_db, pdfsig

CM = 72 / 2.54
A4 = (595.28, 841.89)
SUBJECT = "ขอความอนุเคราะห์ใช้ห้องประชุมจัดฝึกอบรมผู้ใหญ่บ้านและกำนัน ประจำปี ๒๕๗๐"
BODY = """ตามที่ องค์การบริหารส่วนจังหวัดเลย กำหนดจัดโครงการฝึกอบรมผู้ใหญ่บ้านและกำนัน
เพื่อเพิ่มประสิทธิภาพการปฏิบัติงาน ในวันที่ 15 มกราคม 2570 นั้น

ในการนี้ จึงขอความอนุเคราะห์ใช้สถานที่ ดังนี้
1. ห้องประชุมใหญ่ จำนวน 1 ห้อง
2. ลานจอดรถสำหรับรถ 50 คัน

| รายการ | จำนวน |
|---|---|
| เก้าอี้ | 200 ตัว |

จึงเรียนมาเพื่อโปรดพิจารณาให้ความอนุเคราะห์ ขอขอบคุณมา ณ โอกาสนี้"""


@pytest.fixture
def org():
    office = make_unit(name_th="กองคลัง", letter_code="ลย 51001")
    return SimpleNamespace(
        office=office, writer=make_user(unit=office, roles=("operator",)),
        chief=make_user(unit=office, roles=("manager",), manager_level="division_head",
                        full_name_th="นางสาวมาลี ใจดี"),
        stranger=make_user(unit=make_unit(), roles=("operator",)))


def external_type():
    return db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))


def a_draft(kind=LetterKind.MEMO, **changes):
    fields = {"addressee": "นายกองค์การบริหารส่วนจังหวัดเลย", "body": BODY, "signer_name": "นางสาวมาลี ใจดี",
              "signer_position": "ผู้อำนวยการกองคลัง", "enclosures": "กำหนดการ\nรายชื่อผู้เข้าอบรม",
              "contact_phone": "0 4281 1746", "effective": "วันที่ 1 มกราคม 2570"}
    fields.update(changes.pop("fields", {}))
    return services.LetterDraft(kind=kind, subject=changes.pop("subject", SUBJECT), fields=fields, **changes)


def started(org, kind=LetterKind.MEMO, **changes):
    letter, _ = services.start_letter(Actor(user=org.writer), owner_unit=org.office,
                                      document_type=external_type(), draft=a_draft(kind, **changes))
    db.session.commit()
    return letter


def pdf_of(letter, tmp_path, name="letter.pdf"):
    path = tmp_path / name
    path.write_bytes(render.render_pdf(queries.content_for(letter), queries.letterhead()))
    return path


# ---- writing and revising ------------------------------------------------------------------------------------

def test_r36_a_writer_writes_a_memo_in_the_browser_form_and_the_document_carries_its_details(
        client, login, org):
    login(client, org.writer)
    page = client.get("/letters/new?kind=memo").get_data(as_text=True)
    assert "บันทึกข้อความ" in page or "Memo" in page
    response = client.post("/letters/new?kind=memo", data={
        "csrf_token": csrf_token_from(page), "kind": "memo", "type_id": external_type().id,
        "subject": SUBJECT, "addressee": "นายก อบจ.เลย", "body": BODY, "speed": "urgent", "secrecy": "normal",
        "signer_name": "นางสาวมาลี ใจดี", "signer_position": "ผู้อำนวยการกองคลัง"})
    assert response.status_code == 302, response.get_data(as_text=True)
    letter = db.session.scalar(select(Letter).order_by(Letter.id.desc()))
    document = letter.document
    assert (document.subject, document.addressed_to, document.speed, document.owner_unit_id) == (
        SUBJECT, "นายก อบจ.เลย", "urgent", org.office.id)
    assert [r.number for r in letter.revisions] == [1]
    pdf = client.get(f"/letters/{letter.id}/letter.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_a_letter_without_its_text_is_refused_with_a_message_and_nothing_is_stored(client, login, org):
    login(client, org.writer)
    page = client.get("/letters/new?kind=external").get_data(as_text=True)
    before = db.session.scalar(select(func.count()).select_from(Document))
    response = client.post("/letters/new?kind=external", data={
        "csrf_token": csrf_token_from(page), "kind": "external", "type_id": external_type().id,
        "subject": SUBJECT, "addressee": "", "body": BODY, "speed": "normal", "secrecy": "normal"},
        follow_redirects=True)
    assert "เรียน" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Document)) == before


def test_every_save_that_changes_something_is_a_new_revision_and_the_change_is_shown(client, login, org):
    letter = started(org)
    services.revise(Actor(user=org.writer), letter, draft=a_draft(fields={"body": BODY + "\n\nเพิ่มเติม"}))
    services.revise(Actor(user=org.writer), letter, draft=a_draft(fields={"body": BODY + "\n\nเพิ่มเติม"}))
    db.session.commit()
    assert [r.number for r in letter.revisions] == [1, 2]
    assert "เพิ่มเติม" not in letter.revisions[0].fields["body"]  # the first revision is kept as it was
    login(client, org.writer)
    changes = client.get(f"/letters/{letter.id}/changes/2").get_data(as_text=True)
    assert "<ins" in changes and "เพิ่มเติม" in changes


def test_a_save_over_a_newer_revision_is_refused_instead_of_undoing_it(org):
    letter = started(org)
    services.revise(Actor(user=org.writer), letter, draft=a_draft(subject="เรื่องใหม่"), seen_revision=1)
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        services.revise(Actor(user=org.writer), letter, draft=a_draft(subject="เรื่องเก่าที่แก้"), seen_revision=1)
    db.session.rollback()
    assert letter.current.subject == "เรื่องใหม่" and letter.document.subject == "เรื่องใหม่"


def test_a_letter_waiting_for_a_signature_cannot_change_until_it_is_sent_back(org):
    letter = started(org)
    work = handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        services.revise(Actor(user=org.writer), letter, draft=a_draft(subject="แก้ระหว่างรอลงนาม"))
    db.session.rollback()
    handling.send_back(Actor(user=org.chief), work, "แก้ไขย่อหน้าที่สอง")
    db.session.commit()
    services.revise(Actor(user=org.writer), letter, draft=a_draft(subject="แก้ตามที่สั่ง"))
    db.session.commit()
    assert letter.current.subject == "แก้ตามที่สั่ง"


def test_someone_of_another_unit_can_neither_open_nor_change_the_letter(client, login, org):
    letter = started(org)
    with pytest.raises(BusinessRuleError):
        services.revise(Actor(user=org.stranger), letter, draft=a_draft(subject="แอบแก้"))
    db.session.rollback()
    login(client, org.stranger)
    assert client.get(f"/letters/{letter.id}").status_code == 404
    assert client.get(f"/letters/{letter.id}/letter.pdf").status_code == 404


# ---- the PDF, read back ---------------------------------------------------------------------------------

def test_the_pdf_gives_back_the_subject_and_body_in_order_with_thai_digits(org, tmp_path):
    text = without_spaces(pdf_text(pdf_of(started(org), tmp_path)))
    subject_at = text.index(without_spaces(SUBJECT))
    first, item, last = (text.index(without_spaces(part)) for part in (
        "ตามที่องค์การบริหารส่วนจังหวัดเลยกำหนดจัดโครงการฝึกอบรมผู้ใหญ่บ้านและกำนันเพื่อเพิ่มประสิทธิภาพ",
        "๑.ห้องประชุมใหญ่จำนวน๑ห้อง", "ขอขอบคุณมาณโอกาสนี้"))
    assert subject_at < first < item < last
    assert "๑๕มกราคม๒๕๗๐" in text and "15" not in text  # Thai digits by default


def test_ocr_of_the_rendered_page_reads_the_subject_back_with_under_5_percent_errors(org, tmp_path):
    page_text = ocr_first_page(pdf_of(started(org, kind=LetterKind.EXTERNAL), tmp_path), tmp_path)
    assert character_error_rate(SUBJECT, page_text) < 0.05, page_text


def emblem_height(page):
    """The emblem is the drawing nearest the top of the first page: an image the admin uploaded, or the
    project's vector placeholder (its outline spans the whole height)."""
    drawn = page.images or [shape for shape in page.curves if shape["top"] < 10 * CM]
    return max(shape["bottom"] for shape in drawn) - min(shape["top"] for shape in drawn)


@pytest.mark.parametrize("kind", list(LetterKind))
def test_the_layout_of_each_kind_follows_the_regulation(org, tmp_path, kind):
    long_body = "\n\n".join([BODY] * 4)  # two pages at least, for the page number
    path = pdf_of(started(org, kind=kind, speed="most_urgent", fields={"body": long_body}), tmp_path)
    with pdfplumber.open(path) as pdf:
        first = pdf.pages[0]
        assert (round(first.width, 1), round(first.height, 1)) == (round(A4[0], 1), round(A4[1], 1))
        body_chars = [c for c in first.chars if c["non_stroking_color"] in ((0,), (0, 0, 0), [0], [0, 0, 0])]
        assert min(c["x0"] for c in body_chars) == pytest.approx(3 * CM, abs=1.5)  # left margin 3 cm
        assert max(c["x1"] for c in body_chars) <= A4[0] - 2 * CM + 0.5           # right margin 2 cm
        sizes = {round(c["size"]) for c in body_chars if c["text"] in "ตามที่องค์การ"}
        assert 16 in sizes
        assert {c["fontname"].split("+")[-1] for c in body_chars} <= {"Laksaman", "Laksaman-Bold",
                                                                       "Laksaman-Italic"}
        assert emblem_height(first) == pytest.approx(KINDS[kind].garuda_cm * CM, abs=2.5)
        speed = [c for c in first.chars if c["non_stroking_color"] not in ((0,), (0, 0, 0), [0], [0, 0, 0])]
        assert "".join(c["text"] for c in speed).startswith("ด่วนที่สุด") and round(speed[0]["size"]) >= 32
        assert len(pdf.pages) >= 2
        second_top = sorted(pdf.pages[1].extract_words(), key=lambda w: w["top"])[0]
        assert pdf.pages[1].extract_text().lstrip().startswith("- ๒ -")
        assert second_top["x0"] > A4[0] / 3  # centred at the top
        first_words = pdf.pages[0].extract_text()
        assert not first_words.lstrip().startswith("- ๑ -")



def test_a_letter_laid_out_with_its_threads_font_configuration_is_the_pdf_a_fresh_one_gives(org):
    """Letters reuse one WeasyPrint font configuration per thread (issue 15 benchmark): the bytes are the
    same as with a new one, also after a letter in another font; a document with @font-face may not use
    it."""
    from app.core import pdf

    letter = started(org, kind=LetterKind.EXTERNAL)
    html = render.render_html(queries.content_for(letter), queries.letterhead())
    other_font = html.replace('"Laksaman"', '"Norasi"')
    fresh, fresh_other = pdf.html_to_pdf(html), pdf.html_to_pdf(other_font)
    assert fresh != fresh_other
    assert [pdf.html_to_pdf(page, system_fonts=True) for page in (html, other_font, html)] == [
        fresh, fresh_other, fresh]
    with pytest.raises(ValueError):
        pdf.html_to_pdf('<style>@font-face { font-family: "Sarabun thai"; '
                        'src: url("vendor/sarabun/files/sarabun-thai-400-normal.woff") }</style><p>ก</p>',
                        system_fonts=True)


# ---- signing from the task list (item 3) and checking it (item 5) ------------------------------------------

def with_signing_key(user):
    from app.signing import services as signing

    signing.set_pin(SYSTEM, user, pin=PIN)
    signing.issue_certificate(SYSTEM, user)
    db.session.commit()
    return user


def proposed(org, **changes):
    letter = started(org, kind=LetterKind.EXTERNAL, **changes)
    work = handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)
    db.session.commit()
    return letter, work


def signed_pdf_bytes(letter):
    from app.attachments.storage import file_store

    return file_store().path_for(letter.signed_attachment.sha256).read_bytes()


def test_the_chief_signs_with_the_pin_and_the_letter_gets_its_number_date_signature_and_code(org, tmp_path):
    with_signing_key(org.chief)
    letter, work = proposed(org)
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=1)
    db.session.commit()
    document = letter.document
    assert document.doc_number.startswith("ลย 51001/") and document.dated is not None
    assert letter.is_signed and letter.verify_code and letter.signed_attachment.frozen_at is not None
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf_bytes(letter))
    text = without_spaces(pdf_text(path))
    number = document.doc_number.split("/")[-1].translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert f"/{number}" in text and letter.verify_code in text and "นางสาวมาลีใจดี" in text
    assert qr_codes_on_first_page(path, tmp_path) == [signatures.verify_url(letter.verify_code)]
    report = verification.attachment_report(letter.signed_attachment)
    assert report.all_valid and [s.signer_name for s in report.signatures] == ["นางสาวมาลี ใจดี"]
    verdicts, output = pdfsig(path, nss_db(tmp_path / "nss", ca_pem()))
    assert verdicts and all("valid" in v[1].lower() and "trusted" in v[2].lower() for v in verdicts), output


def test_a_wrong_pin_signs_nothing_and_takes_no_number(org):
    with_signing_key(org.chief)
    letter, work = proposed(org)
    with pytest.raises(BusinessRuleError):
        handling.sign(Actor(user=org.chief), work, pin="not-the-pin", seen_revision=1)
    db.session.rollback()
    db.session.refresh(letter.document)
    assert letter.document.doc_number == "" and not letter.is_signed
    assert handling_queries.open_task(work).spec_name == "sign_off"
    assert db.session.scalar(select(func.count()).select_from(RegisterEntry)
                             .where(RegisterEntry.document_id == letter.document_id)) == 0


def test_a_letter_revised_after_the_signer_opened_it_is_refused(org):
    with_signing_key(org.chief)
    letter, work = proposed(org)
    handling.send_back(Actor(user=org.chief), work, "แก้คำผิด")
    services.revise(Actor(user=org.writer), letter, draft=a_draft(LetterKind.EXTERNAL, subject="แก้แล้ว"))
    handling.resubmit(Actor(user=org.writer), work, reviewer=org.chief)
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=1)  # read revision 1, now it is 2
    db.session.rollback()
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=2)
    db.session.commit()
    assert letter.signed_revision.number == 2


def test_after_signing_the_letter_and_its_files_cannot_be_replaced_or_deleted(org):
    from app.attachments import services as attachments

    with_signing_key(org.chief)
    letter, work = proposed(org)
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=1)
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        attachments.delete(Actor(user=org.writer), letter.signed_attachment, unit=org.office)
    with pytest.raises(BusinessRuleError):
        services.revise(Actor(user=org.writer), letter, draft=a_draft(LetterKind.EXTERNAL, subject="แอบแก้"))


def test_the_public_verify_page_shows_the_letter_and_checks_an_uploaded_copy(org, client):
    import io

    with_signing_key(org.chief)
    letter, work = proposed(org)
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=1)
    db.session.commit()
    page = client.get(f"/verify/{letter.verify_code}")  # no login
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and SUBJECT in html and letter.document.doc_number in html
    good = signed_pdf_bytes(letter)
    checked = client.post(f"/verify/{letter.verify_code}", data={
        "csrf_token": csrf_token_from(html), "file": (io.BytesIO(good), "letter.pdf")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "ไม่มีการแก้ไขตั้งแต่ลงนาม" in checked
    broken = bytearray(good)
    broken[len(broken) // 3] ^= 0x01
    checked = client.post(f"/verify/{letter.verify_code}", data={
        "csrf_token": csrf_token_from(html), "file": (io.BytesIO(bytes(broken)), "letter.pdf")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "ถูกแก้ไขหลังลงนาม" in checked
    not_pdf = client.post(f"/verify/{letter.verify_code}", data={
        "csrf_token": csrf_token_from(html), "file": (io.BytesIO(b"hello"), "letter.pdf")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "ไม่ใช่ไฟล์ PDF" in not_pdf
    assert client.get("/verify/NOSUCHCODE").status_code == 404


def test_a_classified_letter_says_only_that_it_exists(org, client):
    with_signing_key(org.chief)
    letter, work = proposed(org, secrecy="confidential")
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=1)
    db.session.commit()
    html = client.get(f"/verify/{letter.verify_code}").get_data(as_text=True)
    assert letter.verify_code in html and SUBJECT not in html and "นางสาวมาลี" not in html


# ---- the letterhead (item 1: organisation settings) ---------------------------------------------------------

def a_png(width=220, height=240):
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 160, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_admin_sets_the_letterhead_and_letters_print_its_address_and_the_uploaded_emblem(
        client, login, org, tmp_path):
    import io

    admin = make_user(unit=org.office, roles=("admin",))
    login(client, admin)
    page = client.get("/admin/letterhead").get_data(as_text=True)
    assert "placeholder" in page or "ตัวอย่าง" in page
    response = client.post("/admin/letterhead", data={
        "csrf_token": csrf_token_from(page), "address": "ถนนมลิวรรณ อำเภอเมืองเลย\nจังหวัดเลย 42000",
        "phone": "0 4281 1746", "fax": "", "email": "saraban@example.go.th", "font_family": "Laksaman",
        "thai_digits": "y", "buddhist_era": "y", "garuda": (io.BytesIO(a_png()), "garuda.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    path = pdf_of(started(org, kind=LetterKind.EXTERNAL), tmp_path)
    assert "จังหวัดเลย๔๒๐๐๐" in without_spaces(pdf_text(path))
    with pdfplumber.open(path) as pdf:
        (emblem,) = pdf.pages[0].images
        assert emblem["height"] == pytest.approx(3 * CM, abs=1)


def test_an_emblem_that_is_not_an_image_is_refused_and_nothing_changes(client, login, org):
    import io

    admin = make_user(unit=org.office, roles=("admin",))
    login(client, admin)
    page = client.get("/admin/letterhead").get_data(as_text=True)
    response = client.post("/admin/letterhead", data={
        "csrf_token": csrf_token_from(page), "address": "ที่อยู่ใหม่", "font_family": "Laksaman",
        "garuda": (io.BytesIO(b"MZ\x90\x00 not an image"), "garuda.png")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "PNG, JPEG" in response.get_data(as_text=True)
    assert queries.letterhead().address != "ที่อยู่ใหม่"


def test_only_an_admin_opens_the_letterhead(client, login, org):
    login(client, org.writer)
    assert client.get("/admin/letterhead").status_code == 403


# ---- templates (item 2) -----------------------------------------------------------------------------------

def test_an_admin_keeps_a_letter_as_a_units_template_and_a_writer_starts_from_it(client, login, org):
    letter = started(org, kind=LetterKind.EXTERNAL, subject="ขอรับการสนับสนุนงบประมาณประจำปี")
    admin = make_user(unit=org.office, roles=("admin",))
    login(client, admin)
    page = client.get(f"/letters/{letter.id}").get_data(as_text=True)
    response = client.post(f"/letters/{letter.id}/template", data={
        "csrf_token": csrf_token_from(page), "name": "ขอรับการสนับสนุนงบประมาณ (รายปี)", "unit_id": org.office.id})
    assert response.status_code == 302
    client.post("/logout")
    login(client, org.writer)
    offered = client.get("/letters/new").get_data(as_text=True)
    assert "ขอรับการสนับสนุนงบประมาณ (รายปี)" in offered
    (template_id,) = re.findall(r"template=(\d+)", offered)
    filled = client.get(f"/letters/new?kind=external&template={template_id}").get_data(as_text=True)
    assert "ขอรับการสนับสนุนงบประมาณประจำปี" in filled and "นายกองค์การบริหารส่วนจังหวัดเลย" in filled
    client.post("/logout")
    login(client, org.stranger)
    assert client.get(f"/letters/new?kind=external&template={template_id}").status_code == 404


def test_the_signer_can_sign_from_the_document_page_too_and_the_pin_is_asked_there(client, login, org):
    with_signing_key(org.chief)
    letter, work = proposed(org)
    login(client, org.chief)
    page = client.get(f"/documents/{letter.document_id}").get_data(as_text=True)
    assert f'name="sign-{work.id}-pin"' in page
    response = client.post(f"/handlings/{work.id}/sign", data={
        "csrf_token": csrf_token_from(page), f"sign-{work.id}-pin": PIN, f"sign-{work.id}-seen_revision": "1",
        f"sign-{work.id}-comment": ""})
    assert response.status_code == 302
    db.session.refresh(letter)
    assert letter.is_signed and letter.document.doc_number


# ---- bad input at signing and on the verify page (item 7) ------------------------------------------------

def test_five_wrong_pins_at_the_sign_step_lock_signing_and_take_no_number(client, login, org):
    with_signing_key(org.chief)
    letter, work = proposed(org)
    login(client, org.chief)
    for attempt in range(5):
        page = client.get("/signatures").get_data(as_text=True)
        client.post(f"/handlings/{work.id}/sign", data={
            "csrf_token": csrf_token_from(page), f"sign-{work.id}-pin": f"wrong-{attempt}",
            f"sign-{work.id}-seen_revision": "1", "back": "signatures"})
    page = client.get("/signatures").get_data(as_text=True)
    locked = client.post(f"/handlings/{work.id}/sign", data={
        "csrf_token": csrf_token_from(page), f"sign-{work.id}-pin": PIN, f"sign-{work.id}-seen_revision": "1",
        "back": "signatures"}, follow_redirects=True).get_data(as_text=True)
    assert "ล็อก" in locked  # even the right PIN is refused while locked
    db.session.refresh(letter.document)
    assert not letter.is_signed and letter.document.doc_number == ""


def test_the_verify_page_refuses_a_file_over_its_limit_with_a_message(org, client, app):
    import io

    with_signing_key(org.chief)
    letter, work = proposed(org)
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=1)
    db.session.commit()
    page = client.get(f"/verify/{letter.verify_code}").get_data(as_text=True)
    huge = b"%PDF-1.7\n" + b"0" * (app.config["VERIFY_UPLOAD_MAX_MB"] * 1024 * 1024 + 1)
    checked = client.post(f"/verify/{letter.verify_code}", data={
        "csrf_token": csrf_token_from(page), "file": (io.BytesIO(huge), "huge.pdf")},
        content_type="multipart/form-data")
    assert checked.status_code == 200 and "MB" in checked.get_data(as_text=True)
    assert "ไม่มีการแก้ไขตั้งแต่ลงนาม" not in checked.get_data(as_text=True)
