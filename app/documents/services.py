"""Creating and changing documents. Each function takes the actor and plain values and only flushes."""
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.documents import permissions
from app.documents.models import Document, DocumentRecipient, DueDateChange, Secrecy, Speed
from app.extensions import db
from app.registry import queries as registry_queries
from app.registry import services as registry
from app.registry.models import Direction

MAX_DUE_DAYS = 3650


@dataclass
class DocumentDetails:
    """What a clerk types about a letter (R11, R22)."""
    type: object
    subject: str
    doc_number: str = ""
    dated: date | None = None
    addressed_to: str = ""
    from_unit: object | None = None
    from_text: str = ""
    reference: str = ""
    enclosures: str = ""
    category: object | None = None
    delivery_method: object | None = None
    secrecy: str = Secrecy.NORMAL
    speed: str = Speed.NORMAL
    due_date: date | None = None
    note: str = ""
    recipient_units: list = field(default_factory=list)
    recipient_texts: list = field(default_factory=list)


def due_date_from(*, on_date=None, days=None, start):
    """R12: a due date is given as a date, or as a number of days from `start`."""
    if on_date is not None and days is not None:
        raise BusinessRuleError(_l("Give the due date either as a date or as a number of days, not both."))
    if days is not None:
        if not 0 <= days <= MAX_DUE_DAYS:
            raise BusinessRuleError(_l("The number of days must be between 0 and %(max)d.", max=MAX_DUE_DAYS))
        return start + timedelta(days=days)
    return on_date


def create_document(actor, *, owner_unit, details):
    _check_details(details)
    document = Document(owner_unit_id=owner_unit.id, created_by_id=actor.user_id)
    _apply(document, details)
    db.session.add(document)
    db.session.flush()
    audit.record(actor, "document.create", "document", document.id, subject=_audit_subject(document))
    return document


def update_details(actor, document, *, details):
    """A draft's details change with its letter (app/letters): only while it has never been sent."""
    _check_not_deleted(document)
    if document.first_sent_at is not None:
        raise BusinessRuleError(_l("This document has been sent, so its details cannot change."))
    _check_details(details)
    _apply(document, details)
    db.session.flush()
    return document


def correct_sent_letter(actor, document, *, subject, addressed_to, reference, enclosures):
    """What a signed letter's correction (app/letters) changes of its document: what the letter says of
    itself. Where it went, its number, speed and secrecy stay as registered."""
    _check_not_deleted(document)
    subject = (subject or "").strip()
    if not subject:
        raise BusinessRuleError(_l("The subject is required."))
    before = _audit_subject(document)
    document.subject, document.addressed_to = subject, (addressed_to or "").strip()
    document.reference, document.enclosures = (reference or "").strip(), (enclosures or "").strip()
    db.session.flush()
    audit.record(actor, "document.correct", "document", document.id, before=before,
                 after=_audit_subject(document))
    return document


def register_paper_letter(actor, *, unit, details, at=None):
    """A letter that came by post or by hand: recorded and given the unit's next receive number."""
    document = create_document(actor, owner_unit=unit, details=details)
    entry = registry.issue_number(actor, registry.default_register(unit, Direction.RECEIVE), document, at=at,
                                  counterpart_unit=details.from_unit, counterpart_text=details.from_text)
    return document, entry


def issue_send_number(actor, document):
    """Take the next number of the owning unit's send register (or the type's own series) for an outgoing
    letter, and write it as the document number: ลย 51001/123, ลย 51001/ว 45."""
    _check_not_deleted(document)
    permissions.require(permissions.may_issue_send_number(actor.user, document), actor)
    return take_send_number(actor, document)


def take_send_number(actor, document):
    """The number itself, for a step already allowed: the signature of an outgoing letter (flow 3) issues
    it, whoever up the chain signed. The letter is dated the day it is numbered and comes from its owning
    unit (issue 14 item 2: ลงวันที่ and จาก stayed empty on the page and in the send register)."""
    if registry_queries.holds_number(document, Direction.RECEIVE):
        raise BusinessRuleError(_l("A received letter keeps the number its sender gave it."))
    if registry_queries.holds_number(document, Direction.SEND):
        raise BusinessRuleError(_l("This document already has its outgoing number."))
    register = registry.send_register_for(document.owner_unit, document.type)
    entry = registry.issue_number(actor, register, document)
    document.doc_number = registry.outgoing_document_number(register, entry)
    document.dated = registry.local_date(entry.created_at)
    document.from_unit_id = document.owner_unit_id
    db.session.flush()
    return entry


def change_due_date(actor, document, *, new_due_date, reason):
    """R31: extending (or setting) a due date keeps the old one and the reason in the history."""
    _check_not_deleted(document)
    permissions.require(permissions.may_change_due_date(actor.user, document), actor)
    reason = (reason or "").strip()
    if not reason:
        raise BusinessRuleError(_l("Give the reason for changing the due date."))
    if new_due_date == document.due_date:
        raise BusinessRuleError(_l("The new due date is the same as the current one."))
    document.due_date_changes.append(DueDateChange(
        old_due_date=document.due_date, new_due_date=new_due_date, reason=reason, changed_by_id=actor.user_id,
        acting_for_id=actor.acting_for.id if actor.acting_for else None))
    document.due_date = new_due_date
    db.session.flush()
    audit.record(actor, "document.due_date", "document", document.id, new_due_date=new_due_date, reason=reason)
    return document


def delete_draft(actor, document):
    """R33: a document never sent to any unit can be deleted by its writers (see permissions)."""
    _check_not_deleted(document)
    if document.first_sent_at is not None:
        raise BusinessRuleError(_l("This document has been sent, so it cannot be deleted."))
    if registry_queries.holds_number(document):
        raise BusinessRuleError(_l("This document holds a register number, so it cannot be deleted; "
                                   "cancel the number if it was given by mistake."))
    permissions.require(permissions.may_delete_draft(actor.user, document), actor)
    document.deleted_at = utcnow()
    db.session.flush()
    audit.record(actor, "document.delete", "document", document.id)
    return document


def _check_details(details):
    if not (details.subject or "").strip():
        raise BusinessRuleError(_l("The subject is required."))
    if details.type is None or not details.type.is_active:
        raise BusinessRuleError(_l("Choose a document type."))
    if details.secrecy not in {s.value for s in Secrecy} or details.speed not in {s.value for s in Speed}:
        raise BusinessRuleError(_l("Unknown secrecy or speed class."))


def _apply(document, details):
    document.type_id = details.type.id
    document.category_id = details.category.id if details.category else None
    document.delivery_method_id = details.delivery_method.id if details.delivery_method else None
    document.from_unit_id = details.from_unit.id if details.from_unit else None
    for name in ("subject", "doc_number", "addressed_to", "from_text", "reference", "enclosures", "note"):
        setattr(document, name, (getattr(details, name) or "").strip())
    document.dated, document.due_date = details.dated, details.due_date
    document.secrecy, document.speed = details.secrecy, details.speed
    document.recipients = (
        [DocumentRecipient(unit_id=unit.id) for unit in details.recipient_units]
        + [DocumentRecipient(name_text=text.strip()) for text in details.recipient_texts if text.strip()])


def _check_not_deleted(document):
    if document.deleted_at is not None:
        raise BusinessRuleError(_l("This document has been deleted."))


def _audit_subject(document):
    return "(classified)" if document.is_classified else document.subject
