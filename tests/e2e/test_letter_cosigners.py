"""Co-signers in a browser (issue 15 item 3): the writer names a co-signer in the E-Form at a desk, the chief
signs on a phone, the letter waits, the co-signer (not a manager) finds it under "To sign" on their phone
and signs with their own PIN, and only then does the recipient unit get it, with both signatures valid."""
import uuid
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.signing import services as signing
from tests.e2e.conftest import has_no_horizontal_scroll, submit
from tests.e2e.test_letters import PHONE_390, PIN, propose_from_the_document_page, write_memo
from tests.e2e.test_work_and_signing import flash_success, signature_row
from tests.factories import DEFAULT_PASSWORD, SYSTEM, make_unit, make_user
from tests.signing_support import ca_pem, nss_db, pdfsig

pytestmark = pytest.mark.e2e
DESK = {"width": 1366, "height": 900}


@pytest.fixture
def people(e2e_app):
    tag = uuid.uuid4().hex[:6]
    with e2e_app.app_context():
        top = make_unit(code=f"e2ec-top-{tag}", name_th=f"สำนักปลัดร่วม {tag}", letter_code="ลย 51900")
        section = make_unit(code=f"e2ec-sec-{tag}", name_th=f"ฝ่ายพัสดุร่วม {tag}", kind="section", parent=top,
                            letter_code="ลย 51901")
        recipient = make_unit(code=f"e2ec-rcv-{tag}", name_th=f"กองช่างร่วม {tag}", letter_code="ลย 51902")
        writer = make_user(unit=section, roles=("operator",), username=f"e2ec-writer-{tag}",
                           full_name_th=f"นางสาวเขียน {tag}")
        chief = make_user(unit=top, roles=("manager",), manager_level="chief", username=f"e2ec-chief-{tag}",
                          full_name_th=f"นายปลัด {tag}")
        member = make_user(unit=section, roles=("operator",), username=f"e2ec-member-{tag}",
                           full_name_th=f"นายกรรมการ {tag}")
        clerk = make_user(unit=recipient, roles=("clerk",), username=f"e2ec-clerk-{tag}",
                          full_name_th=f"นางธุรการ {tag}")
        for signer in (chief, member):
            signing.set_pin(SYSTEM, signer, pin=PIN)
            signing.issue_certificate(SYSTEM, signer)
        db.session.commit()
        return SimpleNamespace(**{key: SimpleNamespace(username=user.username, name=user.full_name_th)
                                  for key, user in dict(writer=writer, chief=chief, member=member,
                                                        clerk=clerk).items()},
                               recipient=recipient.name_th, subject=f"รายงานผลการตรวจรับพัสดุ {tag}")


def test_a_co_signed_memo_leaves_only_after_the_co_signer_signs_on_a_phone(
        people, open_browser_as, e2e_app, tmp_path):
    writer = open_browser_as(people.writer, DEFAULT_PASSWORD, viewport=DESK)
    write_memo(writer, people.subject, people.recipient, cosigners=[people.member.name])
    writer.screenshot(path=str(tmp_path / "cosigners-form-1366.png"), full_page=True)
    propose_from_the_document_page(writer, people.chief.name)

    chief = open_browser_as(people.chief, DEFAULT_PASSWORD, viewport=PHONE_390)
    chief.goto("/signatures")
    sign = signature_row(chief, people.subject).locator("form[data-step='sign']")
    sign.get_by_label("PIN สำหรับลงนาม").fill(PIN)
    submit(chief, sign.get_by_role("button", name="ลงนาม", exact=True))
    expect(flash_success(chief)).to_contain_text("ลงนามแล้ว")

    clerk = open_browser_as(people.clerk, DEFAULT_PASSWORD, viewport=PHONE_390)
    clerk.goto("/inbox")
    expect(clerk.locator("main a", has_text=people.subject)).to_have_count(0)  # it waits for the co-signer

    member = open_browser_as(people.member, DEFAULT_PASSWORD, viewport=PHONE_390)
    member.goto("/")
    expect(member.get_by_test_id("signature-count")).to_have_text("1")  # an operator, shown the list now
    member.goto("/signatures")
    row = signature_row(member, people.subject)
    expect(row.get_by_test_id("cosign-context")).to_contain_text(people.chief.name)
    assert has_no_horizontal_scroll(member)
    member.screenshot(path=str(tmp_path / "cosign-390.png"), full_page=True)
    cosign = row.locator("form[data-step='cosign']")
    cosign.get_by_label("PIN สำหรับลงนาม").fill("wrong-pin-1")
    submit(member, cosign.get_by_role("button", name="ลงนามร่วม", exact=True))
    expect(member.locator(".alert-danger")).to_contain_text("PIN")
    cosign = signature_row(member, people.subject).locator("form[data-step='cosign']")
    cosign.get_by_label("PIN สำหรับลงนาม").fill(PIN)
    submit(member, cosign.get_by_role("button", name="ลงนามร่วม", exact=True))
    expect(member.locator(".alert-success", has_text="ลงนามร่วมเรียบร้อยแล้ว")).to_be_visible()

    clerk.goto("/inbox")
    with clerk.expect_navigation():
        clerk.locator("main a", has_text=people.subject).first.click()
    panel = clerk.get_by_test_id("letter-panel")
    expect(panel.get_by_test_id("letter-signature-status")).to_contain_text(
        f"{people.chief.name}, {people.member.name}")
    assert has_no_horizontal_scroll(clerk)
    clerk.screenshot(path=str(tmp_path / "cosigned-received-390.png"), full_page=True)
    signed = clerk.request.get(panel.get_by_test_id("open-letter").get_attribute("href"))
    path = tmp_path / "cosigned.pdf"
    path.write_bytes(signed.body())
    with e2e_app.app_context():
        trust = ca_pem()
    verdicts, output = pdfsig(path, nss_db(tmp_path / "nss", trust))
    assert len(verdicts) == 2 and all(v[1] == "Signature is Valid." and v[2] == "Certificate is Trusted."
                                      for v in verdicts), output
