"""Who may see a document (R34) and its content when it is classified.

A user works for their own unit and, on the days they act for someone, for that person's unit too; a manager
also oversees the units below the ones they manage (a division head sees what reaches its sections). A
document concerns the units that own it, sent it, receive it, or hold a number for it in their registers.
The units named as its recipients (เรียน/ถึง) are only addresses: a unit receives a document when a
delivery reaches it, so an unsent draft is its owner's alone (issue 12 item 2) and a recalled copy is gone.
People given a step of it (assigned operators, managers asked to sign) see it too. Classified documents
(ลับ and above) show their subject and files only to the registry clerks of those units, the person who
wrote it, the people given a step of it, and the managers of those units and of the units above them.
"""
from sqlalchemy import exists, or_, select

from app.documents.models import Document, DocumentOperator
from app.extensions import db
from app.org.models import Role
from app.org.queries import acting_for_ids, effective_roles, subtree_ids
from app.registry.models import Register, RegisterEntry
from app.routing.models import Delivery, DeliveryStatus
from app.workflow.models import WorkflowTask


def working_unit_ids(user, on=None):
    return {held.unit.id for held in effective_roles(user, on)} | {user.unit_id}


def overseen_unit_ids(user, on=None):
    """The units whose documents the user may see: where they work, and below every unit they manage."""
    ids = working_unit_ids(user, on)
    for held in effective_roles(user, on):
        if held.role == Role.MANAGER:
            ids |= subtree_ids(held.unit)
    return ids


def concerns_units_clause(unit_ids):
    """SQL condition: the document concerns one of `unit_ids`."""
    in_register = exists().where(RegisterEntry.document_id == Document.id,
                                 RegisterEntry.register_id == Register.id, Register.unit_id.in_(unit_ids))
    delivered = exists().where(Delivery.document_id == Document.id, Delivery.to_unit_id.in_(unit_ids),
                               Delivery.status != DeliveryStatus.RECALLED)
    sent = exists().where(Delivery.document_id == Document.id, Delivery.from_unit_id.in_(unit_ids))
    return or_(Document.owner_unit_id.in_(unit_ids), Document.from_unit_id.in_(unit_ids), in_register,
               delivered, sent)


def given_to_clause(user_ids):
    """SQL condition: one of these people wrote the document, or a step of it was given to them (an operator
    assigned to it, a manager of another unit asked to sign it). The writer of a classified draft is cleared
    for what they wrote."""
    as_operator = exists().where(DocumentOperator.document_id == Document.id, DocumentOperator.user_id.in_(user_ids))
    as_task = exists().where(WorkflowTask.document_id == Document.id, WorkflowTask.assignee_id.in_(user_ids))
    return or_(Document.created_by_id.in_(user_ids), as_operator, as_task)


def visible_documents(user):
    """A select of the documents the user may see listed; deleted drafts excluded."""
    return select(Document).where(Document.deleted_at.is_(None), or_(
        concerns_units_clause(overseen_unit_ids(user)), given_to_clause(acting_for_ids(user))))


def involved_unit_ids(document):
    ids = {document.owner_unit_id, document.from_unit_id}
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
    return bool(overseen_unit_ids(user) & involved_unit_ids(document)) or was_given_to(user, document)


def can_see_content(user, document):
    """The subject, details and files: everyone who can see a normal document; the few for a classified one."""
    if not can_see(user, document):
        return False
    if not document.is_classified:
        return True
    return bool(involved_unit_ids(document) & cleared_unit_ids(user)) or was_given_to(user, document)


def cleared_unit_ids(user):
    """The units whose classified documents the user may read: where they are a clerk, and every unit at or
    below one they manage."""
    ids = set()
    for held in effective_roles(user):
        if held.role == Role.CLERK:
            ids.add(held.unit.id)
        elif held.role == Role.MANAGER:
            ids |= subtree_ids(held.unit)
    return ids


def was_given_to(user, document):
    return db.session.scalar(select(Document.id).where(Document.id == document.id,
                                                       given_to_clause(acting_for_ids(user)))) is not None
