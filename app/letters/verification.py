"""What the public verify page says of a signed letter, and its check of a PDF someone uploads.

A classified letter says only that a valid letter with that code exists: its kind, number, subject and
signers are for the people cleared to read it.
"""
import functools
import hashlib
from dataclasses import dataclass

from app.attachments.storage import file_store
from app.letters import kinds
from app.letters import queries as letter_queries
from app.signing import verify


@dataclass
class PublicFacts:
    code: str
    signed_at: object
    classified: bool
    kind: object = None
    number: str = ""
    dated: object = None
    subject: str = ""
    signers: list = None  # (name, position, signed_at)
    awaiting: list = None  # the names of the co-signers yet to sign
    correction_of: str = ""    # the code of the signed revision this one corrects
    superseded_by: tuple = ()  # (code, signed_at) of the signed correction in force instead


@dataclass
class UploadCheck:
    error: object = None      # the file could not be checked: why
    same_file: bool = False    # byte for byte the copy the system keeps
    report: object = None      # signing.verify.PdfReport


def public_facts(revision):
    """What the verify page of `revision`'s code says: a correction names the code it corrects, and a
    corrected revision the code of the one in force, so whoever holds either copy learns of the other."""
    letter, document = revision.letter, revision.letter.document
    signed = letter.signed_revisions
    earlier = [other for other in signed if other.number < revision.number]
    in_force = letter.signed_revision
    facts = PublicFacts(code=revision.verify_code, signed_at=revision.signed_at,
                        classified=document.is_classified,
                        correction_of=earlier[-1].verify_code if earlier else "",
                        superseded_by=() if in_force is revision else (in_force.verify_code, in_force.signed_at))
    if facts.classified:
        return facts
    facts.kind, facts.number, facts.dated = kinds.spec(revision.kind).label, document.doc_number, document.dated
    facts.subject = revision.subject
    facts.signers = [_signer_line(signature, document) for signature in revision.signatures]
    facts.awaiting = letter_queries.awaited_cosigners(revision)
    return facts


def _signer_line(signature, document):
    from app.letters import queries
    from app.letters.signatures import SEAL_FIELD

    if signature.field_name == SEAL_FIELD:
        return (f"ตรา{queries.organisation_of(document.owner_unit).name_th}", "ตราชื่อส่วนราชการ (อิเล็กทรอนิกส์)",
                signature.signed_at)
    return signature.signer.full_name_th, signature.signer.position_title, signature.signed_at


def check_upload(revision, stream):
    data = stream.read(verify.max_upload_bytes() + 1)
    try:
        report = verify.validate_pdf(data)
    except verify.VerifyError as error:
        return UploadCheck(error=error.message)
    return UploadCheck(same_file=hashlib.sha256(data).hexdigest() == revision.signed_attachment.sha256,
                       report=report)


def attachment_report(attachment):
    """The signatures of a signed file the system made (a letter, an endorsement copy)."""
    return _report_of_frozen_file(attachment.sha256)


# The document and delivery pages show these on every view. A frozen file never changes and its check
# reads only what the file embeds and our CA, so each file is checked once per process, not per view.
@functools.lru_cache(maxsize=512)
def _report_of_frozen_file(sha256):
    return verify.validate_pdf(file_store().path_for(sha256).read_bytes())


@dataclass
class LetterPanel:
    """The letter's box on the document page."""
    letter: object
    editable: bool
    report: object = None  # the kept copy's signatures, checked now, once signed


def document_panel(user, document):
    from app.documents import permissions
    from app.letters import queries, services

    letter = queries.letter_of(document)
    if letter is None:
        return None
    editable = permissions.may_write_letter(user, document) and services.may_revise_now(letter)
    in_force = letter.signed_revision
    return LetterPanel(letter, editable, attachment_report(in_force.signed_attachment) if in_force else None)
