"""After the first signature (issue 15 item 3). "A correction is a new revision that needs a new signature,
with both kept": the corrected letter keeps its number, gets its own PDF and verify code, goes again to
those who had it, and whoever holds either copy learns of the other on the verify page. "The seal of
หนังสือประทับตรา adds a signature as an incremental update": the official's stays valid."""
import io
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.attachments import services as attachments
from app.attachments.storage import file_store
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.extensions import db
from app.handling import services as handling
from app.letters import services, verification
from app.letters.kinds import LetterKind
from app.registry.models import Direction, Register, RegisterEntry
from app.routing import services as routing
from app.routing.models import Delivery
from tests.conftest import csrf_token_from
from tests.factories import SYSTEM, make_unit, make_user
from tests.integration.test_letters import BODY, a_draft, external_type, with_signing_key
from tests.signing_support import PIN

CORRECTED_BODY = BODY.replace("50 คัน", "80 คัน")


@pytest.fixture
def org():
    office = make_unit(name_th="กองคลัง", letter_code="ลย 51001")
    school = make_unit(name_th="กองการศึกษา", letter_code="ลย 51005")
    chief = with_signing_key(make_user(unit=office, roles=("manager",), manager_level="division_head",
                                       full_name_th="นางสาวมาลี ใจดี"))
    return SimpleNamespace(office=office, school=school, chief=chief,
                           writer=make_user(unit=office, roles=("operator",)),
                           school_clerk=make_user(unit=school, roles=("clerk",)))


def signed_letter(org, **changes):
    letter, _ = services.start_letter(
        Actor(user=org.writer), owner_unit=org.office, document_type=external_type(),
        draft=a_draft(LetterKind.EXTERNAL, recipient_units=[org.school], **changes))
    sign(org, letter)
    return letter


def sign(org, letter):
    work = handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=letter.current.number)
    db.session.commit()


def correction(letter, reason="แก้จำนวนที่จอดรถจาก 50 เป็น 80 คัน", **changes):
    return services.LetterDraft(**{**vars(a_draft(LetterKind.EXTERNAL, fields={"body": CORRECTED_BODY})),
                                   "recipient_units": [r.unit for r in letter.document.recipients], **changes})


def deliveries_to(unit, letter):
    return db.session.scalars(select(Delivery).where(Delivery.document_id == letter.document_id,
                                                     Delivery.to_unit_id == unit.id).order_by(Delivery.id)).all()


def test_a_signed_letter_is_corrected_by_a_new_revision_signed_again_with_both_kept(org):
    letter = signed_letter(org)
    number, first = letter.document.doc_number, letter.signed_revision
    first_file = file_store().path_for(first.signed_attachment.sha256).read_bytes()
    routing.register(Actor(user=org.school_clerk), deliveries_to(org.school, letter)[0])
    db.session.commit()

    services.revise(Actor(user=org.writer), letter, draft=correction(letter), comment="แก้จำนวนที่จอดรถ")
    db.session.commit()
    assert letter.is_correction and letter.current.number == 2
    assert letter.signed_revision is first  # still the letter in force until the correction is signed

    sign(org, letter)
    second = letter.signed_revision
    assert second.number == 2 and second.verify_code != first.verify_code
    assert letter.document.doc_number == number  # the same letter, the same number
    assert db.session.scalar(select(func.count()).select_from(RegisterEntry).join(Register).where(
        RegisterEntry.document_id == letter.document_id, Register.direction == Direction.SEND)) == 1
    assert second.signed_attachment.filename.endswith("-แก้ไข1.pdf")
    assert first.signed_attachment.frozen_at and second.signed_attachment.frozen_at
    assert file_store().path_for(first.signed_attachment.sha256).read_bytes() == first_file
    for revision in (first, second):
        report = verification.attachment_report(revision.signed_attachment)
        assert report.all_valid and [s.signer_name for s in report.signatures] == ["นางสาวมาลี ใจดี"]
    with pytest.raises(BusinessRuleError):
        attachments.delete(Actor(user=org.writer), first.signed_attachment, unit=org.office)

    again = deliveries_to(org.school, letter)
    assert len(again) == 2 and again[1].note.startswith("หนังสือฉบับแก้ไข") and "แก้จำนวนที่จอดรถ" in again[1].note


def test_a_correction_while_the_first_still_waits_at_the_recipient_adds_no_second_delivery(org):
    letter = signed_letter(org)
    services.revise(Actor(user=org.writer), letter, draft=correction(letter), comment="แก้จำนวนที่จอดรถ")
    sign(org, letter)
    assert len(deliveries_to(org.school, letter)) == 1  # the waiting one now shows the corrected file


def test_a_correction_says_why_and_keeps_where_the_letter_went_its_speed_and_secrecy(org):
    letter = signed_letter(org)
    with pytest.raises(BusinessRuleError, match="แก้ไข"):
        services.revise(Actor(user=org.writer), letter, draft=correction(letter), comment="  ")
    for changed in ({"recipient_units": []}, {"speed": "urgent"}, {"secrecy": "confidential"}):
        with pytest.raises(BusinessRuleError):
            services.revise(Actor(user=org.writer), letter, draft=correction(letter, **changed), comment="แก้")
    db.session.rollback()
    assert letter.current.number == 1 and letter.is_signed


def test_a_correction_waiting_for_its_signature_cannot_change_and_cannot_be_proposed_twice(org):
    letter = signed_letter(org)
    services.revise(Actor(user=org.writer), letter, draft=correction(letter), comment="แก้จำนวนที่จอดรถ")
    handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        services.revise(Actor(user=org.writer), letter, draft=correction(letter, subject="อีกครั้ง"), comment="x")
    with pytest.raises(BusinessRuleError):
        handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)


def test_a_signed_letter_without_a_correction_cannot_be_proposed_again(org):
    letter = signed_letter(org)
    with pytest.raises(BusinessRuleError):
        handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)


def test_each_verify_code_names_the_other_so_holders_of_either_copy_know(org, client):
    letter = signed_letter(org)
    first = letter.signed_revision
    services.revise(Actor(user=org.writer), letter, draft=correction(letter), comment="แก้จำนวนที่จอดรถ")
    sign(org, letter)
    second = letter.signed_revision

    old_page = client.get(f"/verify/{first.verify_code}").get_data(as_text=True)
    assert 'data-testid="verify-superseded"' in old_page and second.verify_code in old_page
    new_page = client.get(f"/verify/{second.verify_code}").get_data(as_text=True)
    assert 'data-testid="verify-correction-of"' in new_page and first.verify_code in new_page
    assert 'data-testid="verify-superseded"' not in new_page

    first_file = file_store().path_for(first.signed_attachment.sha256).read_bytes()
    checked = client.post(f"/verify/{first.verify_code}", data={
        "csrf_token": csrf_token_from(old_page), "file": (io.BytesIO(first_file), "letter.pdf")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "ไม่มีการแก้ไขตั้งแต่ลงนาม" in checked  # genuine, and the page says a correction is in force
    assert 'data-testid="verify-superseded"' in checked


def test_the_writer_corrects_a_signed_letter_in_the_browser_form_with_a_reason(org, client, login):
    letter = signed_letter(org)
    login(client, org.writer)
    page = client.get(f"/letters/{letter.id}").get_data(as_text=True)
    assert 'data-testid="correct-letter"' in page and 'data-testid="letter-signed-state"' in page
    form = {"csrf_token": csrf_token_from(page), "seen_revision": "1", "kind": "external",
            "subject": letter.current.subject, "speed": "normal", "secrecy": "normal",
            "recipient_unit_ids": str(org.school.id), "recipient_texts": "",
            **{name: value for name, value in letter.current.fields.items()}, "body": CORRECTED_BODY}
    refused = client.post(f"/letters/{letter.id}", data={**form, "comment": ""}).get_data(as_text=True)
    assert "ระบุว่าแก้ไขอะไร" in refused
    db.session.expire_all()
    assert letter.current.number == 1

    saved = client.post(f"/letters/{letter.id}", data={**form, "comment": "แก้จำนวนที่จอดรถ"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert letter.is_correction and letter.current.fields["body"] == CORRECTED_BODY
    document_page = client.get(f"/documents/{letter.document_id}").get_data(as_text=True)
    assert 'data-testid="letter-correction"' in document_page and 'data-step="propose-outgoing"' in document_page
    # the draft preview of the correction already prints the number it keeps
    preview = client.get(f"/letters/{letter.id}/letter.pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    signed_copy = client.get(f"/letters/{letter.id}/letter.pdf?revision=1").get_data()
    assert signed_copy == file_store().path_for(letter.signed_revision.signed_attachment.sha256).read_bytes()


def test_the_chief_sees_on_the_signature_list_that_it_is_a_correction_and_why(org, client, login):
    letter = signed_letter(org)
    services.revise(Actor(user=org.writer), letter, draft=correction(letter), comment="แก้จำนวนที่จอดรถ")
    handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)
    db.session.commit()
    login(client, org.chief)
    page = client.get("/signatures").get_data(as_text=True)
    assert 'data-testid="signing-correction"' in page and "แก้จำนวนที่จอดรถ" in page


# ---- หนังสือประทับตรา: the official initials, the organisation's seal signs after ---------------------------

def stamped_letter(org):
    letter, _ = services.start_letter(
        Actor(user=org.writer), owner_unit=org.office, document_type=external_type(),
        draft=a_draft(LetterKind.STAMPED, recipient_units=[org.school]))
    db.session.commit()
    return letter


def test_a_stamped_letter_carries_the_officials_signature_and_then_the_organisations_seal(org, client, tmp_path):
    from app.signing import seal_services
    from tests.signing_support import ca_pem, nss_db, pdfsig, pyhanko_statuses

    seal_services.issue_seal(SYSTEM)
    letter = stamped_letter(org)
    sign(org, letter)
    data = file_store().path_for(letter.signed_attachment.sha256).read_bytes()
    path = tmp_path / "stamped.pdf"
    path.write_bytes(data)
    verdicts, output = pdfsig(path, nss_db(tmp_path / "nss", ca_pem()))
    assert len(verdicts) == 2 and all(v[1] == "Signature is Valid." and v[2] == "Certificate is Trusted."
                                      for v in verdicts), output
    statuses, dss = pyhanko_statuses(data, ca_pem())
    assert len(statuses) == 2 and all(s.bottom_line and s.intact and s.trusted for s in statuses) and dss.crls
    names = [s.signer_name for s in verification.attachment_report(letter.signed_attachment).signatures]
    assert names[0] == "นางสาวมาลี ใจดี" and "ตรา" in names[1]
    page = client.get(f"/verify/{letter.verify_code}").get_data(as_text=True)
    assert "ตราชื่อส่วนราชการ (อิเล็กทรอนิกส์)" in page


def test_without_a_usable_seal_a_stamped_letter_is_not_signed_and_takes_no_number(org):
    letter = stamped_letter(org)
    work = handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)
    db.session.commit()
    with pytest.raises(BusinessRuleError, match="ตรา"):
        handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=1)
    db.session.rollback()
    db.session.refresh(letter.document)
    assert letter.document.doc_number == "" and not letter.is_signed
