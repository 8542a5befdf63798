"""What the public verify page says of a signed letter, and its check of a PDF someone uploads.

A classified letter says only that a valid letter with that code exists: its kind, number, subject and
signers are for the people cleared to read it.
"""
import functools
import hashlib
from dataclasses import dataclass

from app.attachments.storage import file_store
from app.letters import kinds
from app.signing import verify


@dataclass
class PublicFacts:
    classified: bool
    kind: object = None
    number: str = ""
    dated: object = None
    subject: str = ""
    signers: list = None  # (name, position, signed_at)


@dataclass
class UploadCheck:
    error: object = None      # the file could not be checked: why
    same_file: bool = False    # byte for byte the copy the system keeps
    report: object = None      # signing.verify.PdfReport


def public_facts(letter):
    document = letter.document
    if document.is_classified:
        return PublicFacts(classified=True)
    revision = letter.signed_revision
    return PublicFacts(
        classified=False, kind=kinds.spec(revision.kind).label, number=document.doc_number, dated=document.dated,
        subject=revision.subject,
        signers=[(s.signer.full_name_th, s.signer.position_title, s.signed_at) for s in letter.signatures])


def check_upload(letter, stream):
    data = stream.read(verify.max_upload_bytes() + 1)
    try:
        report = verify.validate_pdf(data)
    except verify.VerifyError as error:
        return UploadCheck(error=error.message)
    return UploadCheck(same_file=hashlib.sha256(data).hexdigest() == letter.signed_attachment.sha256,
                       report=report)


def stored_report(letter):
    """The signatures of the copy the system keeps, checked now (for the document page)."""
    return attachment_report(letter.signed_attachment)


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
    editable = (not letter.is_signed and permissions.may_write_letter(user, document)
                and services.may_revise_now(letter))
    return LetterPanel(letter, editable, stored_report(letter) if letter.is_signed else None)
