"""Co-signers (issue 15 item 3: "co-signers ... add signatures as incremental updates, so earlier ones stay
valid"). A letter names its co-signers in the E-Form; the signer signs first (number, date, PDF with an
empty signature field in each co-signer's printed slot), then each co-signer signs in turn from their
"To sign" list with their own PIN, and the letter leaves after the last. pdfsig and pyHanko find every
signature valid; a co-signer who will not sign sends it back to the writer, and nothing leaves."""
import subprocess
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.attachments.models import Attachment
from app.attachments.storage import file_store
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.core.thai_dates import today_local
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.handling.models import HandlingStatus
from app.letters import services, verification
from app.letters.kinds import LetterKind
from app.notifications.models import Event, Notification
from app.org.models import Delegation
from app.routing.models import Delivery
from app.signing import pades
from app.signing import services as signing
from app.signing.keys import SigningError
from tests.conftest import csrf_token_from
from tests.factories import SYSTEM, make_unit, make_user
from tests.integration.test_letters import a_draft, external_type, with_signing_key
from tests.pdf_checks import pdf_text, tool
from tests.signing_support import (INK, PIN, ca_pem, flip_byte_in_signed_range, nss_db, pdfsig, pyhanko_statuses,
                                   signature_png)

pytestmark = pytest.mark.usefixtures("forget_pin_locks")
SHORT_BODY = "ขอเชิญประชุมคณะกรรมการตรวจรับพัสดุ ในวันที่ ๑๕ มกราคม ๒๕๗๐ เวลา ๐๙.๓๐ น.\n\nจึงเรียนมาเพื่อโปรดทราบ"


@pytest.fixture
def org():
    office = make_unit(name_th="กองพัสดุ", letter_code="ลย 51003")
    school = make_unit(name_th="กองการศึกษา", letter_code="ลย 51005")
    chief = with_signing_key(make_user(unit=office, roles=("manager",), manager_level="division_head",
                                       full_name_th="นางสาวมาลี ใจดี"))
    first = with_signing_key(make_user(unit=office, roles=("operator",), full_name_th="นายสมชาย ตรวจการ"))
    second = with_signing_key(make_user(unit=school, roles=("manager",), full_name_th="นางวิไล ศรีสุข"))
    first.position_title, second.position_title = "นักวิชาการพัสดุชำนาญการ", "ผู้อำนวยการกองการศึกษา"
    signing.set_signature_image(SYSTEM, first, data=signature_png(), max_bytes=512 * 1024)
    db.session.commit()
    return SimpleNamespace(office=office, school=school, chief=chief, first=first, second=second,
                           writer=make_user(unit=office, roles=("operator",)),
                           school_clerk=make_user(unit=school, roles=("clerk",)))


def cosigned_draft(org, cosigners, body=SHORT_BODY):
    return a_draft(LetterKind.MEMO, recipient_units=[org.school], cosigner_ids=[u.id for u in cosigners],
                   fields={"body": body})


def proposed(org, cosigners):
    letter, _ = services.start_letter(Actor(user=org.writer), owner_unit=org.office, document_type=external_type(),
                                      draft=cosigned_draft(org, cosigners))
    work = handling.propose_outgoing(Actor(user=org.writer), letter.document, unit=org.office, reviewer=org.chief)
    db.session.commit()
    return letter, work


def signed_by_chief(org, cosigners):
    letter, work = proposed(org, cosigners)
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=letter.current.number)
    db.session.commit()
    return letter, work


def cosign(user, work, pin=PIN):
    handling.cosign(Actor(user=user), work, pin=pin)
    db.session.commit()


def open_task(work):
    return handling_queries.open_task(work)


def kept_bytes(letter):
    return file_store().path_for(letter.signed_attachment.sha256).read_bytes()


def told_to_sign(user, letter):
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.document_id == letter.document_id,
        Notification.event == Event.SIGN_REQUEST))


def deliveries_to(unit, letter):
    return db.session.scalars(select(Delivery).where(Delivery.document_id == letter.document_id,
                                                     Delivery.to_unit_id == unit.id)).all()


def page_image(pdf_bytes, tmp_path, name, page):
    """Page `page` (from 0) at 72 dpi, one pixel per point, as pdftoppm draws it (annotations included)."""
    (tmp_path / f"{name}.pdf").write_bytes(pdf_bytes)
    subprocess.run([tool("pdftoppm"), "-r", "72", "-f", str(page + 1), "-l", str(page + 1), "-png", "-singlefile",
                    str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
    with Image.open(tmp_path / f"{name}.png") as image:
        return image.convert("RGB")


def text_of(pdf_bytes, tmp_path):
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf_bytes)
    return pdf_text(path)


def pixels_in(image, box, colour_test):
    _, x1, y1, x2, y2 = box
    return sum(1 for x in range(int(x1), int(x2)) for y in range(int(image.height - y2), int(image.height - y1))
               if colour_test(image.getpixel((x, y))))


def is_ink(pixel):
    return all(abs(a - b) < 40 for a, b in zip(pixel, INK))


def is_dark(pixel):
    return max(pixel) < 110


def test_co_signers_sign_in_turn_after_the_signer_and_the_letter_leaves_after_the_last(org, tmp_path):
    letter, work = signed_by_chief(org, [org.first, org.second])
    assert work.status == HandlingStatus.AWAITING_COSIGNATURE and letter.document.doc_number
    assert deliveries_to(org.school, letter) == []  # nothing leaves before the co-signatures
    assert open_task(work).spec_name == "cosign" and open_task(work).assignee_id == org.first.id
    after_chief = kept_bytes(letter)
    printed = text_of(after_chief, tmp_path)
    assert "นายสมชาย ตรวจการ" in printed and "นางวิไล ศรีสุข" in printed
    boxes = [pades.field_box(after_chief, f"cosigner-{n}") for n in (1, 2)]
    assert all(boxes)  # an empty field in each printed slot, under the chief's signature
    before = page_image(after_chief, tmp_path, "before", boxes[1][0])
    assert pixels_in(before, boxes[1], is_dark) == 0

    with pytest.raises(BusinessRuleError):  # the second co-signer's turn has not come
        handling.cosign(Actor(user=org.second), work, pin=PIN)
    db.session.rollback()

    assert told_to_sign(org.first, letter) == 1  # the first co-signer is told at once, the second not yet
    assert told_to_sign(org.second, letter) == 0
    cosign(org.first, work)
    assert open_task(work).assignee_id == org.second.id and deliveries_to(org.school, letter) == []
    assert told_to_sign(org.second, letter) == 1
    cosign(org.second, work)
    assert work.status == HandlingStatus.DISPATCHED and len(deliveries_to(org.school, letter)) == 1

    final = kept_bytes(letter)
    assert final.startswith(after_chief)  # incremental: what the chief signed is inside, byte for byte
    path = tmp_path / "cosigned.pdf"
    path.write_bytes(final)
    verdicts, output = pdfsig(path, nss_db(tmp_path / "nss", ca_pem()))
    assert sorted(v[0] for v in verdicts) == ["cosigner-1", "cosigner-2", "signature"], output
    assert all(v[1] == "Signature is Valid." and v[2] == "Certificate is Trusted." for v in verdicts), output
    statuses, dss = pyhanko_statuses(final, ca_pem())
    assert len(statuses) == 3 and all(s.bottom_line and s.intact and s.trusted for s in statuses) and dss.crls
    report = verification.attachment_report(letter.signed_attachment)
    assert report.all_valid and [s.signer_name for s in report.signatures] == [
        "นางสาวมาลี ใจดี", "นายสมชาย ตรวจการ", "นางวิไล ศรีสุข"]

    broken, _ = pyhanko_statuses(flip_byte_in_signed_range(final), ca_pem())
    assert broken and not any(s.intact for s in broken)

    image = page_image(final, tmp_path, "after", boxes[0][0])
    assert pixels_in(image, boxes[0], is_ink) > 50  # the first co-signer's uploaded signature
    assert pixels_in(page_image(final, tmp_path, "after2", boxes[1][0]), boxes[1], is_dark) > 50  # a typed name


def test_each_co_signature_is_a_new_version_of_the_frozen_file_and_the_earlier_ones_are_kept(org):
    letter, work = signed_by_chief(org, [org.first])
    first_version = letter.signed_attachment
    cosign(org.first, work)
    files = db.session.scalars(select(Attachment).where(Attachment.document_id == letter.document_id)
                               .order_by(Attachment.id)).all()
    current = [f for f in files if f.deleted_at is None]
    assert current == [letter.signed_attachment] and letter.signed_attachment.replaces_id == first_version.id
    assert first_version.frozen_at and letter.signed_attachment.frozen_at
    assert file_store().path_for(first_version.sha256).exists()  # kept: it is what the chief signed


def test_a_wrong_pin_of_a_co_signer_adds_nothing_and_the_turn_stays_theirs(org):
    letter, work = signed_by_chief(org, [org.first])
    before = letter.signed_attachment.sha256
    with pytest.raises((BusinessRuleError, SigningError)):
        handling.cosign(Actor(user=org.first), work, pin="wrong-pin")
    db.session.rollback()
    db.session.refresh(letter.current)
    assert letter.signed_attachment.sha256 == before and letter.current.pending_cosigner_ids == [org.first.id]
    assert open_task(work).spec_name == "cosign" and work.status == HandlingStatus.AWAITING_COSIGNATURE


def test_a_deputy_cannot_co_sign_for_the_co_signer_but_can_sign_for_the_signer(org):
    """A co-signature is the person's own name on the letter; the signer's step may be taken by a deputy."""
    deputy = with_signing_key(make_user(unit=org.office, roles=("operator",)))
    today = today_local()
    for principal in (org.first, org.chief):
        db.session.add(Delegation(principal=principal, deputy=deputy, starts_on=today,
                                  ends_on=today + timedelta(days=3)))
    db.session.commit()
    letter, work = proposed(org, [org.first])
    assert handling_queries.may_act(deputy, open_task(work))  # the chief's step: a deputy may take it
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=letter.current.number)
    db.session.commit()
    assert not handling_queries.may_act(deputy, open_task(work))
    assert handling_queries.awaiting_signature(deputy) == []
    with pytest.raises(BusinessRuleError):
        handling.cosign(Actor(user=deputy, acting_for=org.first), work, pin=PIN)
    db.session.rollback()


def test_a_co_signer_who_will_not_sign_sends_it_back_and_the_writer_corrects_it(org, tmp_path):
    letter, work = signed_by_chief(org, [org.first, org.second])
    with pytest.raises(BusinessRuleError):
        handling.decline_cosign(Actor(user=org.first), work, "  ")
    db.session.rollback()
    handling.decline_cosign(Actor(user=org.first), work, "ขอแก้ไขวันที่ประชุมเป็นวันที่ ๑๖ มกราคม")
    db.session.commit()
    assert work.status == HandlingStatus.SENT_BACK and open_task(work).spec_name == "revise"
    assert open_task(work).assignee_id == org.writer.id and deliveries_to(org.school, letter) == []

    correction = cosigned_draft(org, [org.first, org.second], body=SHORT_BODY.replace("๑๕", "๑๖"))
    services.revise(Actor(user=org.writer), letter, draft=correction, comment="แก้วันที่ประชุม")
    handling.resubmit(Actor(user=org.writer), work, reviewer=org.chief)
    db.session.commit()
    handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=letter.current.number)
    db.session.commit()
    cosign(org.first, work)
    cosign(org.second, work)
    assert work.status == HandlingStatus.DISPATCHED and len(deliveries_to(org.school, letter)) == 1
    assert letter.signed_revision.number == 2 and "๑๖" in text_of(kept_bytes(letter), tmp_path)


def test_co_signers_are_people_able_to_sign_and_not_on_a_stamped_letter(org):
    no_key = make_user(unit=org.office, roles=("operator",), full_name_th="นายไม่มี กุญแจ")
    for cosigners, kind, message in (([no_key], LetterKind.MEMO, "นายไม่มี กุญแจ"),
                                     ([org.first], LetterKind.STAMPED, "ตรา")):
        draft = a_draft(kind, cosigner_ids=[u.id for u in cosigners])
        with pytest.raises(BusinessRuleError, match=message):
            services.start_letter(Actor(user=org.writer), owner_unit=org.office, document_type=external_type(),
                                  draft=draft)
        db.session.rollback()


def test_the_signer_cannot_also_be_a_co_signer(org):
    letter, work = proposed(org, [org.chief])
    with pytest.raises(BusinessRuleError, match="ลงนามร่วม|co-signer"):
        handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=letter.current.number)
    db.session.rollback()
    db.session.refresh(letter.document)
    assert letter.document.doc_number == ""


def test_the_verify_page_names_the_co_signers_still_to_sign(org, client):
    letter, work = signed_by_chief(org, [org.first, org.second])
    cosign(org.first, work)
    page = client.get(f"/verify/{letter.verify_code}").get_data(as_text=True)
    assert "นายสมชาย ตรวจการ" in page and 'data-testid="verify-awaiting"' in page
    awaiting = page.split('data-testid="verify-awaiting"')[1].split("</dd>")[0]
    assert "นางวิไล ศรีสุข" in awaiting and "นายสมชาย ตรวจการ" not in awaiting


def test_the_writer_picks_co_signers_in_the_form_and_the_change_is_shown(org, client, login):
    letter, _ = services.start_letter(Actor(user=org.writer), owner_unit=org.office, document_type=external_type(),
                                      draft=a_draft(LetterKind.MEMO, fields={"body": SHORT_BODY}))
    db.session.commit()
    login(client, org.writer)
    page = client.get(f"/letters/{letter.id}").get_data(as_text=True)
    assert "นางวิไล ศรีสุข" in page  # offered: she can sign
    form = {"csrf_token": csrf_token_from(page), "kind": "memo", "subject": letter.current.subject,
            "body": SHORT_BODY, "addressee": "นายก", "speed": "normal", "secrecy": "normal",
            "seen_revision": "1", "cosigners": [str(org.second.id), str(org.first.id)], "comment": "เพิ่มผู้ลงนามร่วม"}
    assert client.post(f"/letters/{letter.id}", data=form).status_code == 302
    db.session.expire_all()
    assert letter.current.number == 2 and set(letter.current.cosigner_ids) == {org.first.id, org.second.id}
    changes = client.get(f"/letters/{letter.id}/changes/2").get_data(as_text=True)
    assert "นางวิไล ศรีสุข" in changes


def test_the_co_signer_signs_from_the_to_sign_list_with_the_pin(org, client, login):
    letter, work = signed_by_chief(org, [org.first])
    login(client, org.first)
    page = client.get("/signatures").get_data(as_text=True)
    assert 'data-step="cosign"' in page and 'data-testid="cosign-context"' in page
    assert 'data-testid="signature-count"' in client.get("/").get_data(as_text=True)  # an operator sees the list
    form = {"csrf_token": csrf_token_from(page), f"cosign-{work.id}-pin": PIN, "back": "signatures"}
    assert client.post(f"/handlings/{work.id}/cosign", data=form).status_code == 302
    db.session.expire_all()
    assert work.status == HandlingStatus.DISPATCHED
    assert 'data-testid="signature-row"' not in client.get("/signatures").get_data(as_text=True)


def test_the_writer_sees_whose_co_signature_the_signed_letter_waits_for(org, client, login):
    letter, work = signed_by_chief(org, [org.first, org.second])
    cosign(org.first, work)
    login(client, org.writer)
    page = client.get(f"/letters/{letter.id}").get_data(as_text=True)
    waiting = page.split('data-testid="letter-awaiting-cosigners"')[1].split("</div>")[0]
    assert "นางวิไล ศรีสุข" in waiting and "นายสมชาย ตรวจการ" not in waiting
    document = client.get(f"/documents/{letter.document_id}").get_data(as_text=True)
    assert "ลงนามแล้ว รอผู้ลงนามร่วม" in document  # the work's status on the document page


def test_a_proposal_on_the_flow_from_before_co_signers_is_refused_with_what_to_do(org):
    """An upgraded install may hold proposals started on the earlier outgoing flow, which has no co-sign
    step: signing one whose letter names co-signers would leave them no step, so it says what to do."""
    import hashlib

    from app.workflow import definitions
    from app.workflow.models import WorkflowDefinition

    older = (Path(__file__).parents[1] / "fixtures" / "outgoing-before-cosigners.bpmn").read_text(encoding="utf-8")
    definitions.current("outgoing")
    # published back then, before tasks named their step kind: stored as it was, not published anew
    back_then = WorkflowDefinition(key="outgoing", process_id="outgoing", bpmn_xml=older,
                                   sha256=hashlib.sha256(older.encode("utf-8")).hexdigest())
    db.session.add(back_then)
    db.session.flush()
    definitions.make_current(back_then)
    letter, work = proposed(org, [org.first])
    with pytest.raises(BusinessRuleError, match="ถอนเรื่อง"):
        handling.sign(Actor(user=org.chief), work, pin=PIN, seen_revision=letter.current.number)
    db.session.rollback()
    db.session.refresh(letter.document)
    assert letter.document.doc_number == "" and open_task(work).kind == "review"
