"""Writing the audit trail: one row per change, in the same transaction as the change."""
import json

from app.core.models import AuditEvent
from app.extensions import db


def record(actor, action, subject_type, subject_id, **detail):
    event = AuditEvent(
        actor_id=actor.user_id,
        acting_for_id=actor.acting_for.id if actor.acting_for is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        address=actor.address[:64],
        request_id=actor.request_id,
    )
    db.session.add(event)
    return event
