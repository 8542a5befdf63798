"""Issue 15's journey on a 390 × 844 phone: a writer writes a memo in the E-Form and proposes it, the
director endorses it, the chief reads the PDF and signs from "awaiting my signature" with the signing
PIN, the recipient unit sees the signature valid, and anyone opening the QR code's address checks the
copy they received on the public verify page."""
import re
import uuid
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import expect

from app.extensions import db
from app.signing import services as signing
from tests.e2e.conftest import has_no_horizontal_scroll, menu_link, pick_units, submit
from tests.e2e.test_work_and_signing import flash_success, signature_row, step_form
from tests.factories import DEFAULT_PASSWORD, SYSTEM, make_unit, make_user
from tests.pdf_checks import pdf_text, qr_codes_on_first_page
from tests.signing_support import flip_byte_in_signed_range, nss_db, pdfsig, pyhanko_statuses

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
PIN = "Phukradueng-2569"
VERIFY_URL = re.compile(r"https?://[^/\s]+/verify/([A-Z0-9]{6,16})")
# What a writer pastes from a PDF: lines broken mid-sentence, Thai digits, a Buddhist-Era year.
PASTED_BODY = ("ด้วยกองคลังจะจัดประชุมชี้แจงการเบิกจ่ายงบประมาณ ประจำปี พ.ศ. ๒๕๗๐\n"
               "ในวันที่ ๑๕ มกราคม ๒๕๗๐ เวลา ๐๙.๐๐ น. ณ ห้องประชุมใหญ่\n\n"
               "จึงเรียนมาเพื่อโปรดทราบและพิจารณาอนุญาต")


@pytest.fixture
def people(e2e_app):
    tag = uuid.uuid4().hex[:6]

    def person(unit, role, key, name, level="division_head"):
        return make_user(unit=unit, roles=(role,), manager_level=level if role == "manager" else None,
                         username=f"e2el-{key}-{tag}", full_name_th=f"{name}{tag}")

    with e2e_app.app_context():
        top = make_unit(code=f"e2el-top-{tag}", name_th=f"สำนักปลัดทดสอบ {tag}", letter_code="ลย 51800")
        division = make_unit(code=f"e2el-div-{tag}", name_th=f"กองคลังทดสอบ {tag}", parent=top,
                             letter_code="ลย 51801")
        section = make_unit(code=f"e2el-sec-{tag}", name_th=f"ฝ่ายการเงินทดสอบ {tag}", kind="section",
                            parent=division, letter_code="ลย 51801")
        recipient = make_unit(code=f"e2el-rcv-{tag}", name_th=f"กองช่างทดสอบ {tag}", letter_code="ลย 51802")
        writer = person(section, "operator", "writer", "นางสาวเขียน ")
        director = person(division, "manager", "director", "นายผู้อำนวย ")
        chief = person(top, "manager", "chief", "นายปลัด ", level="chief")
        clerk = person(recipient, "clerk", "clerk", "นางธุรการ ")
        signing.set_pin(SYSTEM, chief, pin=PIN)
        signing.issue_certificate(SYSTEM, chief)
        db.session.commit()
        return SimpleNamespace(**{key: SimpleNamespace(username=user.username, name=user.full_name_th)
                                  for key, user in dict(writer=writer, director=director, chief=chief,
                                                        clerk=clerk).items()},
                               recipient=recipient.name_th, subject=f"ขอเชิญประชุมชี้แจงการเบิกจ่าย {tag}")


def choose_person(select, name):
    """Pick the option naming `name` (options read "name (position)")."""
    label = select.locator("option", has_text=name).first.inner_text()
    select.select_option(label=label)


def write_memo(writer, subject, recipient, cosigners=()):
    """The writer writes a memo in the E-Form, as typed and pasted, and saves the draft."""
    with writer.expect_navigation():
        menu_link(writer, "/letters/new").click()
    with writer.expect_navigation():
        writer.get_by_role("link", name="บันทึกข้อความ (หนังสือภายใน)").click()
    form = writer.locator("main form")
    form.get_by_label("เรื่อง", exact=False).first.fill(subject)
    form.get_by_label("เรียน", exact=True).fill("ปลัดองค์การบริหารส่วนจังหวัดเลย")
    form.get_by_label("ข้อความ", exact=True).fill(PASTED_BODY)
    pick_units(form, "recipient_unit_ids", [recipient])
    if cosigners:
        pick_units(form, "cosigners", list(cosigners))
    assert has_no_horizontal_scroll(writer)
    submit(writer, form.get_by_role("button", name="บันทึกร่าง"))
    expect(flash_success(writer)).to_contain_text("บันทึกร่างหนังสือแล้ว")


def propose_from_the_document_page(writer, reviewer_name):
    with writer.expect_navigation():
        writer.get_by_role("link", name="หน้าเอกสาร").click()
    propose = step_form(writer, "propose-outgoing")
    choose_person(propose.get_by_label("เสนอถึง"), reviewer_name)
    submit(writer, propose.get_by_role("button", name="เสนอ", exact=True))
    expect(flash_success(writer)).to_contain_text("เสนอลงนามแล้ว")


def test_a_memo_is_written_endorsed_signed_with_the_pin_on_a_phone_and_verified_by_anyone(
        people, open_browser_as, browser, live_server, tmp_path):
    writer = open_browser_as(people.writer, DEFAULT_PASSWORD, viewport=PHONE_390)
    write_memo(writer, people.subject, people.recipient)

    # the PDF the writer previews is the letter itself
    pdf = writer.request.get(writer.locator("a", has_text="ดูหนังสือ (PDF)").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    propose_from_the_document_page(writer, people.director.name)

    director = open_browser_as(people.director, DEFAULT_PASSWORD, viewport=PHONE_390)
    director.goto("/signatures")
    row = signature_row(director, people.subject)
    endorse = row.locator("form[data-step='endorse']")
    choose_person(endorse.get_by_label("เสนอต่อถึง"), people.chief.name)
    endorse.get_by_label("ความเห็น").fill("เห็นควรอนุญาต")
    submit(director, endorse.get_by_role("button", name="เห็นควร เสนอต่อ", exact=False))
    expect(flash_success(director)).to_be_visible()
    expect(signature_row(director, people.subject)).to_have_count(0)

    chief = open_browser_as(people.chief, DEFAULT_PASSWORD, viewport=PHONE_390)
    chief.goto("/signatures")
    row = signature_row(chief, people.subject)
    expect(row.get_by_test_id("read-letter")).to_be_visible()
    assert has_no_horizontal_scroll(chief)
    sign = row.locator("form[data-step='sign']")
    sign.get_by_label("PIN สำหรับลงนาม").fill("wrong-pin-1")
    submit(chief, sign.get_by_role("button", name="ลงนาม", exact=True))
    expect(chief.locator(".alert-danger")).to_contain_text("PIN")
    row = signature_row(chief, people.subject)  # still waiting: nothing was signed, no number taken
    sign = row.locator("form[data-step='sign']")
    sign.get_by_label("PIN สำหรับลงนาม").fill(PIN)
    submit(chief, sign.get_by_role("button", name="ลงนาม", exact=True))
    expect(flash_success(chief)).to_contain_text("ลงนามแล้ว")

    clerk = open_browser_as(people.clerk, DEFAULT_PASSWORD, viewport=PHONE_390)
    clerk.goto("/inbox")
    with clerk.expect_navigation():
        clerk.locator("main a", has_text=people.subject).first.click()
    panel = clerk.get_by_test_id("letter-panel")
    expect(panel.get_by_test_id("letter-signature-status")).to_contain_text(
        f"ลายมือชื่ออิเล็กทรอนิกส์ถูกต้อง ลงนามโดย {people.chief.name}")
    signed = clerk.request.get(panel.get_by_test_id("open-letter").get_attribute("href"))
    signed_path = tmp_path / "signed.pdf"
    signed_path.write_bytes(signed.body())
    (qr_url,) = qr_codes_on_first_page(signed_path, tmp_path)
    code = VERIFY_URL.fullmatch(qr_url).group(1)
    assert code in pdf_text(signed_path)  # the short code is printed beside it, for those who type it

    outsider = browser.new_context(base_url=live_server, viewport=PHONE_390, locale="th-TH")
    try:
        page = outsider.new_page()
        page.goto(f"/verify/{code}")  # what the QR code opens, no login
        expect(page.get_by_test_id("verify-facts")).to_contain_text(people.subject)
        page.locator("input[type=file]").set_input_files(str(signed_path))
        submit(page, page.get_by_role("button", name="ตรวจสอบไฟล์"))
        expect(page.get_by_test_id("verify-result")).to_contain_text("ไม่มีการแก้ไขตั้งแต่ลงนาม")
        assert has_no_horizontal_scroll(page)
        page.screenshot(path=str(tmp_path / "verify-390.png"), full_page=True)

        # the outsider takes the organisation's CA from the page and checks the file with other tools
        ca_der = page.request.get(page.get_by_test_id("ca-download").get_attribute("href")).body()
        ca_pem = x509.load_der_x509_certificate(ca_der).public_bytes(serialization.Encoding.PEM)
        verdicts, output = pdfsig(signed_path, nss_db(tmp_path / "nss", ca_pem))
        assert verdicts and all(v[1] == "Signature is Valid." and v[2] == "Certificate is Trusted."
                                for v in verdicts), output
        statuses, dss = pyhanko_statuses(signed_path.read_bytes(), ca_pem)
        assert statuses and all(s.bottom_line and s.intact and s.trusted for s in statuses) and dss.crls
        broken_path = tmp_path / "broken.pdf"
        broken_path.write_bytes(flip_byte_in_signed_range(signed_path.read_bytes()))
        verdicts, output = pdfsig(broken_path, nss_db(tmp_path / "nss2", ca_pem))
        assert all(v[1] != "Signature is Valid." for v in verdicts), output
        page.locator("input[type=file]").set_input_files(str(broken_path))
        submit(page, page.get_by_role("button", name="ตรวจสอบไฟล์"))
        expect(page.get_by_test_id("verify-result")).to_contain_text("ถูกแก้ไขหลังลงนาม")
    finally:
        outsider.close()


def signed_memo(e2e_app, people):
    """A memo the chief signed, set up through the services: the journey above already goes through the UI."""
    from app.core.actor import Actor
    from app.handling import services as handling
    from app.letters import queries, services
    from app.letters.kinds import LetterKind
    from app.org.models import Unit, User

    with e2e_app.app_context():
        writer = db.session.scalar(db.select(User).filter_by(username=people.writer.username))
        chief = db.session.scalar(db.select(User).filter_by(username=people.chief.username))
        recipient = db.session.scalar(db.select(Unit).filter_by(name_th=people.recipient))
        letter, _ = services.start_letter(
            Actor(user=writer), owner_unit=writer.unit, document_type=queries.default_type_for(LetterKind.MEMO),
            draft=services.LetterDraft(kind=LetterKind.MEMO, subject=people.subject, recipient_units=[recipient],
                                       fields={"addressee": "ปลัดองค์การบริหารส่วนจังหวัดเลย",
                                               "body": PASTED_BODY}))
        work = handling.propose_outgoing(Actor(user=writer), letter.document, unit=writer.unit, reviewer=chief)
        handling.sign(Actor(user=chief), work, pin=PIN, seen_revision=1)
        db.session.commit()
        return letter.id, letter.document_id, letter.verify_code


def test_a_signed_memo_is_corrected_at_a_desk_signed_again_on_a_phone_and_both_codes_tell_of_each_other(
        people, open_browser_as, browser, live_server, e2e_app, tmp_path):
    letter_id, document_id, first_code = signed_memo(e2e_app, people)
    writer = open_browser_as(people.writer, DEFAULT_PASSWORD, viewport={"width": 1366, "height": 900})
    writer.goto(f"/letters/{letter_id}")
    expect(writer.get_by_test_id("letter-signed-state")).to_contain_text(first_code)
    writer.get_by_test_id("correct-letter").locator("summary").click()
    form = writer.get_by_test_id("correct-letter").locator("form")
    form.get_by_label("ข้อความ", exact=True).fill(PASTED_BODY.replace("๐๙.๐๐", "๑๓.๓๐"))
    submit(writer, form.get_by_role("button", name="บันทึกฉบับแก้ไข"))
    expect(writer.locator(".alert-danger")).to_contain_text("ระบุว่าแก้ไขอะไร")  # a correction says why
    writer.get_by_test_id("correct-letter").locator("summary").click()
    form = writer.get_by_test_id("correct-letter").locator("form")
    form.get_by_label("ข้อความ", exact=True).fill(PASTED_BODY.replace("๐๙.๐๐", "๑๓.๓๐"))
    form.get_by_label("แก้ไขอะไร", exact=False).fill("เลื่อนเวลาประชุมเป็น ๑๓.๓๐ น.")
    submit(writer, form.get_by_role("button", name="บันทึกฉบับแก้ไข"))
    expect(writer.locator(".alert-success", has_text="บันทึกฉบับแก้ไขแล้ว")).to_be_visible()
    expect(writer.get_by_test_id("letter-signed-state")).to_contain_text("ยังไม่ได้ลงนาม")
    writer.screenshot(path=str(tmp_path / "correction-1366.png"), full_page=True)
    writer.goto(f"/documents/{document_id}")
    expect(writer.get_by_test_id("letter-correction")).to_be_visible()
    propose = step_form(writer, "propose-outgoing")
    choose_person(propose.get_by_label("เสนอถึง"), people.chief.name)
    submit(writer, propose.get_by_role("button", name="เสนอ", exact=True))
    expect(flash_success(writer)).to_contain_text("เสนอลงนามแล้ว")

    chief = open_browser_as(people.chief, DEFAULT_PASSWORD, viewport=PHONE_390)
    chief.goto("/signatures")
    row = signature_row(chief, people.subject)
    expect(row.get_by_test_id("signing-correction")).to_contain_text("เลื่อนเวลาประชุม")
    assert has_no_horizontal_scroll(chief)
    chief.screenshot(path=str(tmp_path / "correction-sign-390.png"), full_page=True)
    sign = row.locator("form[data-step='sign']")
    sign.get_by_label("PIN สำหรับลงนาม").fill(PIN)
    submit(chief, sign.get_by_role("button", name="ลงนาม", exact=True))
    expect(flash_success(chief)).to_contain_text("ลงนามแล้ว")

    outsider = browser.new_context(base_url=live_server, viewport=PHONE_390, locale="th-TH")
    try:
        page = outsider.new_page()
        page.goto(f"/verify/{first_code}")
        superseded = page.get_by_test_id("verify-superseded")
        expect(superseded).to_contain_text("ฉบับแก้ไข")
        page.screenshot(path=str(tmp_path / "verify-superseded-390.png"), full_page=True)
        with page.expect_navigation():
            superseded.get_by_role("link").click()
        expect(page.get_by_test_id("verify-correction-of")).to_contain_text(first_code)
        expect(page.get_by_test_id("verify-facts")).to_contain_text(people.subject)
    finally:
        outsider.close()
