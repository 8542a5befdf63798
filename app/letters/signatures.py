"""Signing a letter from the task list (issue 15 item 3), in one transaction with the signature step:
the signer's PIN unlocks their key, the letter takes its send number and date, the final PDF is rendered
with them, the visible signature block and the verify code, a PAdES signature is applied, and the PDF is
kept as the document's frozen file. Any failure raises, the request rolls back, and no number is used.

The revision signed is the one the signer read: a letter revised after the signer opened it is refused.
A correction of a signed letter is signed the same way: it keeps the letter's number and date, gets its own
PDF and verify code, and the earlier signed revision stays as it was, with its code still answering.
"""
import hashlib
import secrets

from flask import current_app

from app.attachments import services as attachments
from app.attachments.storage import file_store
from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.core.pdf import html_to_pdf
from app.documents import services as documents
from app.extensions import db
from app.letters import kinds, queries, render
from app.letters.kinds import Field
from app.letters.models import COSIGNER_FIELD_PREFIX, LetterRevision, LetterSignature
from app.registry import queries as registry_queries
from app.registry.models import Direction
from app.signing import keys, pades, seal

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 10
SIGNATURE_FIELD = "signature"
SEAL_FIELD = "seal"  # หนังสือประทับตรา: the organisation's electronic seal, after the official's initials


def sign_letter(actor, letter, *, unit, pin, seen_revision):
    """The signer (`actor`) signs `letter` for `unit`; returns the signed PDF's attachment."""
    if seen_revision is None or seen_revision != letter.current.number:
        raise BusinessRuleError(_l("The letter was changed after you opened it; read the new revision and "
                                   "sign again."))
    if letter.is_signed:
        raise BusinessRuleError(_l("This letter has already been signed."))
    if actor.user_id in letter.current.cosigner_ids:
        raise BusinessRuleError(_l("You are one of this letter's co-signers, so another manager signs it; "
                                   "send it back to take your name off the co-signers."))
    sealed = kinds.spec(letter.current.kind).signed_by_seal
    if sealed:
        seal.usable_seal()  # before the PIN and the number: the seal is what makes it a หนังสือประทับตรา
    signer = keys.unlock(actor.user, pin or "")
    document = letter.document
    if not registry_queries.holds_number(document, Direction.SEND):
        documents.take_send_number(actor, document)
    revision = letter.current
    revision.verify_code = _new_code()
    content = queries.content_for(
        letter, signature=_signature_block(actor, letter, signer),
        verification=render.Verification(revision.verify_code, verify_url(revision.verify_code)))
    pdf, slots = render.render_pdf_with_slots(content, queries.letterhead())
    organisation = queries.organisation_of(document.owner_unit).name_th
    # the co-signers' places are empty signature fields under this signature: each signs into theirs later
    signed = pades.sign_pdf(pdf, signer, field_name=SIGNATURE_FIELD, reason=_reason(letter), location=organisation,
                            empty_fields=list(slots.items()))
    if sealed:  # the official initials, then the seal signs over it as an incremental update
        signed = seal.seal_pdf(signed, field_name=SEAL_FIELD, reason=f"ประทับตรา{organisation}",
                               location=organisation)
    return _keep(actor, letter, unit, signed, sealed=sealed)


def cosign_letter(actor, letter, *, unit, pin):
    """The next co-signer signs the letter the signer signed, into the empty field of their slot, as an
    incremental update: every earlier signature stays valid. Returns the new version of the signed file."""
    revision = letter.current
    pending = revision.pending_cosigner_ids if revision.is_signed else []
    if not pending:
        raise BusinessRuleError(_l("Nothing of this letter waits for a co-signature."))
    if actor.user_id != pending[0]:  # a co-signature is the person's own: no one signs it for them
        raise BusinessRuleError(_l("It is not your turn to co-sign this letter."))
    signer = keys.unlock(actor.user, pin or "")
    slot = f"{COSIGNER_FIELD_PREFIX}{revision.cosigner_ids.index(actor.user_id) + 1}"
    kept = revision.signed_attachment
    data = file_store().path_for(kept.sha256).read_bytes()
    organisation = queries.organisation_of(letter.document.owner_unit).name_th
    image = signer.signature_image
    signed = pades.sign_pdf(
        data, signer, field_name=slot, reason=f"ลงนามร่วม {letter.document.doc_number}".strip(),
        location=organisation, appearance_image=image, appearance_type=signer.signature_image_type,
        appearance_pdf=None if image else _typed_name(actor.user.full_name_th, pades.field_box(data, slot)))
    attachment = attachments.extend_signed_file(actor, kept, unit=unit, data=signed)
    revision.signed_attachment_id = attachment.id
    db.session.add(LetterSignature(letter_id=letter.id, revision_id=revision.id, signer_id=actor.user_id,
                                   field_name=slot, signed_at=utcnow()))
    db.session.flush()
    db.session.expire(revision, ["signatures"])
    audit.record(actor, "letter.cosign", "document", letter.document_id, letter=letter.id,
                 revision=revision.number, slot=slot, sha256=hashlib.sha256(signed).hexdigest())
    return attachment


def _typed_name(name, box):
    """The co-signer's name as the 2564 amendment allows in place of a drawn signature: a one-page PDF the
    size of their slot, in the letter's font, laid out by WeasyPrint (Thai shaping and tone marks)."""
    if box is None:
        raise BusinessRuleError(_l("This letter has no place for your co-signature; ask the writer to send it "
                                   "for signature again."))
    _, x1, y1, x2, y2 = box
    html = current_app.jinja_env.get_template("letters/pdf/typed_signature.html").render(
        name=name, width=abs(x2 - x1), height=abs(y2 - y1),
        font_family=queries.letterhead().font_family or "Laksaman")
    return html_to_pdf(html, system_fonts=True)


def verify_url(code):
    """The address printed under the QR code: the public one, whoever signs (a request, a worker, the demo)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def _signature_block(actor, letter, signer):
    """The name and position printed are the signer's own; one acting for someone prints the line the
    regulation asks for, unless the author wrote one."""
    fields = letter.current.fields
    acting_for = fields.get(Field.ACTING_FOR, "")
    if actor.acting_for is not None and not acting_for:
        acting_for = f"รักษาราชการแทน {actor.acting_for.position_title}".strip()
    prepared_for_them = fields.get(Field.SIGNER_NAME, "").strip() == actor.user.full_name_th
    position = (fields.get(Field.SIGNER_POSITION) if prepared_for_them else "") or actor.user.position_title \
        or signer.title or ""
    return render.Signature(name=actor.user.full_name_th, position=position,
                            acting_for=acting_for, image=signer.signature_image,
                            image_type=signer.signature_image_type or "image/png")


def _reason(letter):
    return f"ลงนามหนังสือ {letter.document.doc_number}".strip()


def _keep(actor, letter, unit, signed, *, sealed):
    document = letter.document
    signed_at = utcnow()
    revision = letter.current
    attachment = attachments.attach_made_by_the_system(actor, document, unit=unit,
                                                       filename=signed_file_name(letter, revision), data=signed)
    attachments.freeze_all(document)  # the letter, and the enclosures the signer saw
    revision.signed_at = signed_at
    revision.signed_attachment_id = attachment.id
    db.session.add(LetterSignature(letter_id=letter.id, revision_id=revision.id, signer_id=actor.user_id,
                                   acting_for_id=actor.acting_for.id if actor.acting_for else None,
                                   field_name=SIGNATURE_FIELD, signed_at=signed_at))
    if sealed:  # the seal has no person: the row names the official who initialled it
        db.session.add(LetterSignature(letter_id=letter.id, revision_id=revision.id, signer_id=actor.user_id,
                                       field_name=SEAL_FIELD, signed_at=signed_at))
    db.session.flush()
    audit.record(actor, "letter.sign", "document", document.id, letter=letter.id, revision=revision.number,
                 sha256=hashlib.sha256(signed).hexdigest(), code=revision.verify_code,
                 correction=len(letter.signed_revisions) > 1)
    return attachment


def signed_file_name(letter, revision):
    """ลย 51001-123.pdf; a correction adds which one it is, so recipients tell the files apart."""
    stem = (letter.document.doc_number or "letter").replace("/", "-").replace(" ", "")
    earlier = sum(1 for other in letter.revisions if other.is_signed and other.number < revision.number)
    return f"{stem}-แก้ไข{earlier}.pdf" if earlier else f"{stem}.pdf"


def _new_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.query(LetterRevision.id).filter(LetterRevision.verify_code == code).first():
            return code
