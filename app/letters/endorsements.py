"""Endorsements (เกษียนหนังสือ, issue 15 item 6): a manager's instruction on an incoming letter, or their
signature on it, stamped in the margin of a copy of the letter's first page and signed with their key.

The letter's own file is never touched: the copy is a new frozen file of the document, linked from the note
it carries. One transaction: a wrong PIN or any other failure keeps nothing (the PIN lockout counter is
written by app.signing on its own). Each function takes the actor and plain values and only flushes.
"""
import hashlib

from flask import current_app
from sqlalchemy import select

from app.attachments import filetypes
from app.attachments import services as attachments
from app.attachments.models import Attachment
from app.attachments.storage import file_store
from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.thai_dates import BUDDHIST_ERA_OFFSET, buddhist_year, format_date, today_local
from app.extensions import db
from app.handling.models import HandlingKind, HandlingNote, NoteKind
from app.letters import queries, stamping
from app.registry import queries as registry_queries
from app.registry.models import Direction
from app.signing import keys, pades

FIELD_NAME = "endorsement"
PDF = filetypes.KINDS["pdf"].mime


def endorse_copy(actor, handling, note, *, pin):
    """The signed copy of the first page of `handling`'s letter with `note` stamped on it; returns the new
    attachment."""
    note = _locked(note)
    check_may_endorse(actor, handling, note)
    source = main_file(handling.document)
    if source is None:
        raise BusinessRuleError(_l("This document has no PDF or scanned image (JPEG, PNG) to stamp the "
                                   "endorsement on; attach the letter's file first."))
    page = stamping.first_page(file_store().path_for(source.sha256).read_bytes(), source.content_type)
    signer = keys.unlock(actor.user, pin or "")
    today = today_local(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    stamped, box = stamping.stamp(page, _block(actor, note, signer, today))
    signed = pades.sign_pdf(stamped, signer, field_name=FIELD_NAME, box=(0, *box),
                            reason=f"เกษียนหนังสือ {_number(handling)}".strip(),
                            location=queries.organisation_of(handling.unit).name_th)
    copy = attachments.attach_made_by_the_system(
        actor, handling.document, unit=handling.unit, filename=_filename(handling, today), data=signed,
        frozen=True)
    note.stamped_attachment_id = copy.id
    db.session.flush()
    audit.record(actor, "letter.endorse", "document", handling.document_id, handling=handling.id,
                 note=note.id, attachment_id=copy.id, source_attachment_id=source.id,
                 sha256=hashlib.sha256(signed).hexdigest())
    return copy


def may_endorse(user, note):
    """Whether `user` may stamp `note` now: the author, or one acting for them, once per note."""
    return (user is not None and note.stamped_attachment_id is None and is_endorsable(note)
            and (note.author_id == user.id or note.author_id in _principal_ids(user)))


def is_endorsable(note):
    """A manager's instruction, or their signature on an incoming letter, with words to stamp."""
    incoming = note.handling.kind == HandlingKind.INCOMING
    words = bool((note.text or "").strip())
    return incoming and note.kind in (NoteKind.INSTRUCTION, NoteKind.SIGNATURE) and words


def check_may_endorse(actor, handling, note):
    if note.handling_id != handling.id or not is_endorsable(note):
        raise BusinessRuleError(_l("Only a manager's instruction or signature on an incoming letter can be "
                                   "stamped on a copy of it."))
    if note.stamped_attachment_id is not None:
        raise BusinessRuleError(_l("This instruction has already been stamped on a signed copy."))
    acting_for_author = actor.acting_for is not None and actor.acting_for.id == note.author_id
    author_or_deputy = actor.user is not None and (note.author_id == actor.user_id or acting_for_author)
    if not author_or_deputy:
        raise BusinessRuleError(_l("Only the manager who wrote this instruction, or one acting for them, can "
                                   "stamp it."))


def main_file(document):
    """The letter's own file: the first current file if it is a scan, else the first current PDF (the
    endorsement copies made before are not the letter)."""
    stamped = select(HandlingNote.stamped_attachment_id).where(
        HandlingNote.stamped_attachment_id.is_not(None))
    files = db.session.scalars(select(Attachment).where(
        Attachment.document_id == document.id, Attachment.deleted_at.is_(None), Attachment.id.not_in(stamped))
        .order_by(Attachment.id)).all()
    if files and files[0].content_type in stamping.IMAGE_TYPES:
        return files[0]
    return next((f for f in files if f.content_type == PDF), None) or next(
        (f for f in files if f.content_type in stamping.IMAGE_TYPES), None)


def _block(actor, note, signer, today):
    principal = actor.acting_for or note.acting_for
    return stamping.Block(
        text=note.text.strip(), name=actor.user.full_name_th,
        position=actor.user.position_title or signer.title or "",
        acting_for=f"รักษาราชการแทน {principal.position_title}".strip() if principal is not None else "",
        date_text=format_date(today, "th", digits="thai"), image=signer.signature_image,
        image_type=signer.signature_image_type or "image/png")


def _number(handling):
    """The unit's receive number, as written on the receipt stamp: "12/2569"."""
    entry = next((e for e in registry_queries.entries_of_document(handling.document)
                  if e.register.unit_id == handling.unit_id and e.register.direction == Direction.RECEIVE
                  and e.cancelled_at is None), None)
    if entry is None:
        return ""
    return f"{entry.number}/{entry.year + BUDDHIST_ERA_OFFSET}" if entry.year else str(entry.number)


def _filename(handling, today):
    number = _number(handling).replace("/", "-") or f"doc{handling.document_id}"
    return f"เกษียน-{number}-{buddhist_year(today)}{today:%m%d}.pdf"


def _principal_ids(user):
    from app.org.queries import active_delegations_to

    return {delegation.principal_id for delegation in active_delegations_to(user)}


def _locked(note):
    return db.session.scalars(select(HandlingNote).where(HandlingNote.id == note.id).with_for_update()
                              .execution_options(populate_existing=True)).one()

