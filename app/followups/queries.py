"""The follow-up list (R30): each followed document with its current step, where it is and how long it has
waited there. Four queries for the whole list, whatever its length."""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.core.models import AuditEvent, utcnow
from app.documents import access, classified
from app.documents.models import Document
from app.extensions import db
from app.followups.models import Follow
from app.handling.models import FINISHED, Handling
from app.routing.models import Delivery, DeliveryStatus


@dataclass(frozen=True)
class FollowedDocument:
    document: Document
    content_visible: bool
    last_step: AuditEvent | None
    waiting_at: list            # units holding it now: open deliveries and unfinished work
    waited: timedelta | None    # since the last step

    @property
    def shown(self):
        return classified.Shown(self.document, self.content_visible)


def followed_documents(user):
    """The select behind the list and the dashboard's count of it: followed documents the user may see."""
    return (access.visible_documents(user).join(Follow, Follow.document_id == Document.id)
            .where(Follow.user_id == user.id))


def followed_by(user, now=None):
    now = now or utcnow()
    documents = db.session.scalars(
        followed_documents(user).order_by(Follow.created_at.desc(), Follow.id.desc())).all()
    ids = [document.id for document in documents]
    readable = classified.readable_ids(user, documents)
    last_steps = _last_steps(ids)
    where = _waiting_at(ids)
    return [FollowedDocument(document, document.id in readable,
                             last_steps.get(document.id),
                             where.get(document.id, []),
                             now - last_steps[document.id].at if document.id in last_steps else None)
            for document in documents]


def _last_steps(document_ids):
    if not document_ids:
        return {}
    latest = (select(func.max(AuditEvent.id))
              .where(AuditEvent.subject_type == "document", AuditEvent.subject_id.in_(document_ids))
              .group_by(AuditEvent.subject_id))
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(latest))).all()
    return {event.subject_id: event for event in events}


def _waiting_at(document_ids):
    """{document id: [(unit, what it waits for)]}: deliveries not yet registered, work not finished."""
    where = {}
    if not document_ids:
        return where
    for delivery in db.session.scalars(
            select(Delivery).where(Delivery.document_id.in_(document_ids),
                                   Delivery.status.in_((DeliveryStatus.SENT, DeliveryStatus.READ)))
            .options(selectinload(Delivery.to_unit))):
        where.setdefault(delivery.document_id, []).append((delivery.to_unit, "delivery", delivery.status))
    for handling in db.session.scalars(
            select(Handling).where(Handling.document_id.in_(document_ids), Handling.status.not_in(FINISHED))
            .options(selectinload(Handling.unit))):
        where.setdefault(handling.document_id, []).append((handling.unit, "handling", handling.status))
    return where
