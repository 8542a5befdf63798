"""Writing letters (E-Form, R36): start one from a kind or a template, save revisions, keep templates.

A letter belongs to an outgoing document; its subject, addressee, reference, enclosures, speed and secrecy
are written to the document too, so registers, search and the outgoing flow see the letter as it is.
Every save that changes something is a new revision; nothing is ever overwritten. Once signed, the letter
is frozen: a change is then a correction, a new revision signed again. Each function takes the actor and
plain values and only flushes.
"""
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.documents import permissions
from app.documents import services as documents
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling.models import HandlingStatus
from app.letters import kinds
from app.letters.kinds import Field, LetterKind
from app.letters.models import Letter, LetterRevision, LetterTemplate
from app.org.models import User
from app.signing import queries as signing_queries

MAX_FIELD_LENGTH = {Field.BODY: 20000, Field.ENCLOSURES: 2000, Field.REFERENCE: 1000}
DEFAULT_MAX_LENGTH = 500


@dataclass
class LetterDraft:
    """What the author typed: the kind, the document's own fields and the letter's fields."""
    kind: str
    subject: str
    fields: dict
    circular: bool = False
    speed: str = "normal"
    secrecy: str = "normal"
    recipient_units: list = field(default_factory=list)
    recipient_texts: list = field(default_factory=list)
    cosigner_ids: list = field(default_factory=list)  # who signs after the signer, in signing order


def start_letter(actor, *, owner_unit, document_type, draft):
    """A new outgoing document with the letter as its first revision."""
    fields = _checked_fields(draft)
    document = documents.create_document(actor, owner_unit=owner_unit, details=_details(document_type, draft))
    letter = Letter(document_id=document.id, created_by_id=actor.user_id)
    db.session.add(letter)
    db.session.flush()
    revision = _add_revision(actor, letter, draft, fields, comment="")
    audit.record(actor, "letter.create", "document", document.id, letter=letter.id, kind=draft.kind)
    return letter, revision


def revise(actor, letter, *, draft, comment="", seen_revision=None):
    """Save the author's changes as the next revision; an unchanged letter stays as it is.
    `seen_revision` is the revision the author's form was built from: a save over someone else's newer
    revision is refused instead of silently undoing it. A change to a signed letter is a correction: it
    needs its reason, and it waits for its own signature while the signed revision stays in force."""
    letter = _locked(letter)
    check_may_revise(actor, letter)
    if seen_revision is not None and seen_revision != letter.current.number:
        raise BusinessRuleError(_l("Someone saved a newer revision of this letter while you were editing; "
                                   "reload it and make your changes again."))
    fields = _checked_fields(draft)
    current = letter.current
    if (current.fields == fields and current.kind == draft.kind and current.circular == draft.circular
            and current.subject == draft.subject.strip() and letter.document.speed == draft.speed
            and letter.document.secrecy == draft.secrecy and not _recipients_changed(letter.document, draft)):
        return current
    if letter.signed_revision is not None:
        _correct_document(actor, letter, draft, comment)
    else:
        _update_document(actor, letter.document, draft)
    revision = _add_revision(actor, letter, draft, fields, comment=comment)
    audit.record(actor, "letter.correct" if letter.is_correction else "letter.revise", "document",
                 letter.document_id, letter=letter.id, revision=revision.number)
    return revision


def check_may_revise(actor, letter):
    permissions.require(permissions.may_write_letter(actor.user, letter.document), actor)
    if not may_revise_now(letter):
        raise BusinessRuleError(_l("This letter is waiting for a signature; it can be changed only after a "
                                   "reviewer sends it back."))


def may_revise_now(letter):
    """Not while it waits for a signature: what the reviewers read is what they sign. A signed letter may
    be corrected once it has left (its sign-off has ended)."""
    handling = handling_queries.open_handling(letter.document, letter.document.owner_unit)
    return handling is None or handling.status == HandlingStatus.SENT_BACK


def _update_document(actor, document, draft):
    details = _details(document.type, draft)
    details.category, details.delivery_method, details.due_date = document.category, document.delivery_method, \
        document.due_date
    details.note = document.note
    documents.update_details(actor, document, details=details)


def _correct_document(actor, letter, draft, comment):
    """A correction says why, and changes what the letter says, not where it went or how it is handled."""
    if not (comment or "").strip():
        raise BusinessRuleError(_l("This letter has been signed: a change is a correction that must be signed "
                                   "again. Say what is corrected and why."))
    document = letter.document
    if (document.speed != draft.speed or document.secrecy != draft.secrecy
            or _recipients_changed(document, draft)):
        raise BusinessRuleError(_l("A correction cannot change the recipients, the speed or the secrecy of a "
                                   "letter already sent; write a new letter for that."))
    documents.correct_sent_letter(actor, document, subject=draft.subject,
                                  addressed_to=draft.fields.get(Field.ADDRESSEE, ""),
                                  reference=draft.fields.get(Field.REFERENCE, ""),
                                  enclosures=draft.fields.get(Field.ENCLOSURES, ""))


def save_template(actor, letter, *, unit, name):
    """An admin keeps the letter's current revision as a template for `unit`."""
    name = (name or "").strip()
    if not name:
        raise BusinessRuleError(_l("Give the template a name."))
    revision = letter.current
    template = LetterTemplate(unit_id=unit.id, name=name[:200], kind=revision.kind,
                              subject=letter.document.subject, fields_json=revision.fields_json,
                              created_by_id=actor.user_id)
    db.session.add(template)
    db.session.flush()
    audit.record(actor, "letter.template", "unit", unit.id, template=template.id, name=template.name)
    return template


def _add_revision(actor, letter, draft, fields, *, comment):
    number = (letter.revisions[-1].number + 1) if letter.revisions else 1
    revision = LetterRevision(letter_id=letter.id, number=number, kind=draft.kind, circular=draft.circular,
                              subject=draft.subject.strip(),
                              comment=(comment or "").strip()[:2000], author_id=actor.user_id)
    revision.fields = fields
    db.session.add(revision)
    letter.revisions.append(revision)
    db.session.flush()
    return revision


def _checked_fields(draft):
    if draft.kind not in {kind.value for kind in LetterKind}:
        raise BusinessRuleError(_l("Choose the kind of letter."))
    spec = kinds.spec(draft.kind)
    fields = {}
    for name in spec.fields:
        value = (draft.fields.get(name) or "").strip()
        if len(value) > MAX_FIELD_LENGTH.get(name, DEFAULT_MAX_LENGTH):
            raise BusinessRuleError(_l("%(field)s is too long.", field=kinds.FIELD_LABELS[name]))
        fields[str(name)] = value
    if not fields.get(Field.BODY):
        raise BusinessRuleError(_l("Write the text of the letter."))
    if Field.ADDRESSEE in spec.fields and not fields.get(Field.ADDRESSEE):
        raise BusinessRuleError(_l("Say whom the letter is to (เรียน)."))
    cosigners = _checked_cosigners(spec, draft.cosigner_ids)
    if cosigners:
        fields[kinds.COSIGNERS] = cosigners
    return fields


def _checked_cosigners(spec, user_ids):
    """Active people, each once, at most MAX_COSIGNERS, who can sign (a usable certificate now): a
    co-signer found unable to sign after the signer has signed would hold the letter back."""
    ids = list(dict.fromkeys(int(user_id) for user_id in user_ids or ()))
    if not ids:
        return []
    if not spec.cosigned:
        raise BusinessRuleError(_l("A stamped letter carries the organisation's seal; it has no co-signers."))
    if len(ids) > kinds.MAX_COSIGNERS:
        raise BusinessRuleError(_l("A letter has at most %(n)d co-signers.", n=kinds.MAX_COSIGNERS))
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
    able = signing_queries.user_ids_able_to_sign(ids)
    for user_id in ids:
        user = users.get(user_id)
        if user is None or not user.is_active:
            raise BusinessRuleError(_l("Choose co-signers among the active staff."))
        if user_id not in able:
            raise BusinessRuleError(_l("%(name)s has no signing certificate yet, so cannot co-sign; ask the "
                                       "admin to issue one first.", name=user.full_name_th))
    return ids


def _details(document_type, draft):
    return documents.DocumentDetails(
        type=document_type, subject=draft.subject, addressed_to=draft.fields.get(Field.ADDRESSEE, ""),
        reference=draft.fields.get(Field.REFERENCE, ""), enclosures=draft.fields.get(Field.ENCLOSURES, ""),
        secrecy=draft.secrecy, speed=draft.speed, recipient_units=draft.recipient_units,
        recipient_texts=draft.recipient_texts)


def _recipients_changed(document, draft):
    units = sorted(r.unit_id for r in document.recipients if r.unit_id is not None)
    texts = sorted(r.name_text for r in document.recipients if r.unit_id is None)
    return (units != sorted(unit.id for unit in draft.recipient_units)
            or texts != sorted(text.strip() for text in draft.recipient_texts if text.strip()))


def _locked(letter):
    return db.session.scalars(select(Letter).where(Letter.id == letter.id).with_for_update()
                              .execution_options(populate_existing=True)).one()


GARUDA_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_GARUDA_BYTES = 2 * 1024 * 1024


def save_letterhead(actor, *, values, garuda=None, remove_garuda=False):
    """The organisation's letterhead. `garuda` is the bytes of the official emblem the admin uploaded."""
    from app.attachments import storage
    from app.letters import fonts, queries

    letterhead = queries.letterhead()
    if values.get("font_family") not in fonts.available():
        raise BusinessRuleError(_l("That font is not installed on the server."))
    for name in ("address", "phone", "fax", "email", "font_family", "thai_digits", "buddhist_era"):
        setattr(letterhead, name, values[name])
    if garuda:
        letterhead.garuda_content_type = _garuda_type(garuda)
        store = storage.file_store()
        with store.receive(io.BytesIO(garuda), max_bytes=MAX_GARUDA_BYTES) as incoming:
            store.keep(incoming)
        letterhead.garuda_sha256 = incoming.sha256
    elif remove_garuda:
        letterhead.garuda_sha256 = letterhead.garuda_content_type = None
    letterhead.updated_by_id, letterhead.updated_at = actor.user_id, utcnow()
    db.session.add(letterhead)
    db.session.flush()
    audit.record(actor, "letters.letterhead", "letterhead", letterhead.id, font=letterhead.font_family,
                 garuda=letterhead.garuda_sha256)
    return letterhead


def _garuda_type(data):
    if len(data) > MAX_GARUDA_BYTES:
        raise BusinessRuleError(_l("The emblem file is larger than 2 MB."))
    for magic, content_type in GARUDA_TYPES.items():
        if data.startswith(magic):
            return content_type
    if data.lstrip()[:5] in (b"<?xml", b"<svg ") and b"<script" not in data.lower():
        return "image/svg+xml"
    raise BusinessRuleError(_l("The emblem must be a PNG, JPEG or SVG image."))
