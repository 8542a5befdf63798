"""Who may see a document (R34) and its content when it is classified.

A user works for their own unit and, on the days they act for someone, for that person's unit too. A
document concerns the units that own it, sent it, receive it, or hold a number for it in their registers.
Classified documents (ลับ and above) show their subject and files only to the registry clerks of those
units, the assigned operators, and the managers of those units and of the units above them.
"""
from sqlalchemy import exists, or_, select

from app.documents.models import Document, DocumentOperator, DocumentRecipient
from app.extensions import db
from app.org.models import Role
from app.org.queries import effective_roles, subtree_ids
from app.registry.models import Register, RegisterEntry
from app.routing.models import Delivery, DeliveryStatus


def working_unit_ids(user, on=None):
    return {held.unit.id for held in effective_roles(user, on)} | {user.unit_id}


def concerns_units_clause(unit_ids):
    """SQL condition: the document concerns one of `unit_ids`."""
    in_register = exists().where(RegisterEntry.document_id == Document.id,
                                 RegisterEntry.register_id == Register.id, Register.unit_id.in_(unit_ids))
    as_recipient = exists().where(DocumentRecipient.document_id == Document.id,
                                  DocumentRecipient.unit_id.in_(unit_ids))
    delivered = exists().where(Delivery.document_id == Document.id, Delivery.to_unit_id.in_(unit_ids),
                               Delivery.status != DeliveryStatus.RECALLED)
    sent = exists().where(Delivery.document_id == Document.id, Delivery.from_unit_id.in_(unit_ids))
    return or_(Document.owner_unit_id.in_(unit_ids), Document.from_unit_id.in_(unit_ids), as_recipient,
               in_register, delivered, sent)


def visible_documents(user):
    """A select of the documents the user may see listed; deleted drafts excluded."""
    return select(Document).where(Document.deleted_at.is_(None), concerns_units_clause(working_unit_ids(user)))


def involved_unit_ids(document):
    ids = {document.owner_unit_id, document.from_unit_id}
    ids |= {r.unit_id for r in document.recipients}
    ids |= set(db.session.scalars(select(Register.unit_id).join(RegisterEntry)
                                  .where(RegisterEntry.document_id == document.id)))
    for delivery in db.session.scalars(select(Delivery).where(Delivery.document_id == document.id)):
        ids.add(delivery.from_unit_id)
        if delivery.status != DeliveryStatus.RECALLED:
            ids.add(delivery.to_unit_id)
    return ids - {None}


def can_see(user, document):
    if document.deleted_at is not None:
        return False
    return bool(working_unit_ids(user) & involved_unit_ids(document))


def can_see_content(user, document):
    """The subject, details and files: everyone who can see a normal document; the few for a classified one."""
    if not can_see(user, document):
        return False
    if not document.is_classified:
        return True
    involved = involved_unit_ids(document)
    if _is_assigned_operator(user, document):
        return True
    for held in effective_roles(user):
        if held.role == Role.CLERK and held.unit.id in involved:
            return True
        if held.role == Role.MANAGER and involved & subtree_ids(held.unit):
            return True
    return False


def _is_assigned_operator(user, document):
    return db.session.scalar(select(DocumentOperator.id).where(
        DocumentOperator.document_id == document.id, DocumentOperator.user_id == user.id)) is not None
