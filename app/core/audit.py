"""The audit trail: one row per change, in the same transaction as the change, chained by hashes.

Each event's `row_hash` is a SHA-256 over its content and `prev_hash`, the hash of the event before it, so
altering, removing or inserting a row breaks the chain at that point (`verify_chain`, `flask audit verify`).
`record` only queues an event on the session; just before the transaction commits, the queued events are
inserted and chained while the single `audit_chain_head` row is locked. The lock is held for the commit
alone (not the whole transaction), every transaction takes it last (so it cannot deadlock with the locks
taken while working), and ids are assigned under it, so id order is chain order. A rollback drops the
queue. Gaps in the ids are normal (a failed commit uses up ids); only the hash links count.

Events written before the chain existed have an empty `row_hash`: the chain starts at the first event
with a hash, and the events before it are counted but not covered.
"""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import event as orm_event
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.models import AuditChainHead, AuditEvent, insert_if_missing, utcnow
from app.extensions import db

HEAD_ID = 1
HASHED_COLUMNS = ("id", "at", "actor_id", "acting_for_id", "action", "subject_type", "subject_id", "detail",
                  "address", "request_id", "prev_hash")


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain is first broken, and why."""

    event_id: int
    reason: str


# ---- writing -----------------------------------------------------------------------------------------

def record(actor, action, subject_type, subject_id, **detail):
    """Queue one event; it joins the chain when the caller's transaction commits."""
    audit_event = AuditEvent(
        at=utcnow().replace(microsecond=0),  # DATETIME keeps whole seconds: hash what is stored
        actor_id=actor.user_id,
        acting_for_id=actor.acting_for.id if actor.acting_for is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=int(subject_id),  # hashed as the integer it is stored as
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        address=actor.address[:64],
        request_id=actor.request_id,
    )
    session = db.session()
    if not session.in_transaction():
        session.begin()  # tie the queue to a transaction, so a rollback before any query drops it
    session.info.setdefault(_PENDING, []).append(audit_event)
    return audit_event


_PENDING = "audit_events_pending"


@orm_event.listens_for(Session, "before_commit")
def _chain_pending_events(session):
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    head = _locked_head(session)
    session.add_all(pending)
    session.flush()  # the ids first, in one go: the id is part of the hash
    for audit_event in sorted(pending, key=lambda added: added.id):  # the chain follows the ids
        audit_event.prev_hash = head.last_hash
        audit_event.row_hash = event_hash(audit_event)
        head.last_event_id, head.last_hash = audit_event.id, audit_event.row_hash
    session.flush()


@orm_event.listens_for(Session, "after_soft_rollback")
def _drop_pending_events(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


def event_hash(event):
    """SHA-256 of an event's columns in a fixed order (an AuditEvent or a row selecting those columns)."""
    values = [getattr(event, column) for column in HASHED_COLUMNS]
    values[1] = event.at.isoformat(sep=" ")
    canonical = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locked_head(session):
    if session.get(AuditChainHead, HEAD_ID) is None:
        insert_if_missing(session, AuditChainHead.__table__, {"id": HEAD_ID, "last_event_id": 0, "last_hash": ""})
    query = (select(AuditChainHead).where(AuditChainHead.id == HEAD_ID).with_for_update()
             .execution_options(populate_existing=True))
    return session.execute(query).scalar_one()


# ---- verifying ---------------------------------------------------------------------------------------

def verify_chain(batch_size=1000):
    """None if the chain is intact, else the first ChainBreak. Run it inside one transaction: its snapshot
    keeps events committed meanwhile out of both the head and the rows read."""
    head_id, head_hash = _head()
    previous_id, previous_hash = 0, ""
    for row in _chained_events(batch_size):
        reason = _link_problem(row, previous_hash, head_id)
        if reason:
            return ChainBreak(row.id, reason)
        previous_id, previous_hash = row.id, row.row_hash
    if (previous_id, previous_hash) != (head_id, head_hash):
        return ChainBreak(head_id, f"missing: the chain head names it as the last event, but the chain ends "
                                   f"at #{previous_id} (events deleted from the end, or the head altered)")
    return None


def _link_problem(row, previous_hash, head_id):
    if row.row_hash != event_hash(row):
        return "row altered: its content no longer matches its hash"
    if row.prev_hash != previous_hash:
        return "link broken: its previous hash is not the hash of the event before it (an event deleted?)"
    if row.id > head_id:
        return "not in the chain head: added outside the audit trail"
    return None


def _chained_events(batch_size):
    """Events in id order from the first one with a hash, read in batches so memory stays bounded."""
    started = False
    for row in _all_events(batch_size):
        started = started or bool(row.row_hash)
        if started:
            yield row


def _all_events(batch_size):
    columns = [getattr(AuditEvent, name) for name in HASHED_COLUMNS] + [AuditEvent.row_hash]
    after_id = 0
    while True:
        batch = db.session.execute(select(*columns).where(AuditEvent.id > after_id)
                                   .order_by(AuditEvent.id).limit(batch_size)).all()
        yield from batch
        if len(batch) < batch_size:
            return
        after_id = batch[-1].id


def _head():
    row = db.session.execute(select(AuditChainHead.last_event_id, AuditChainHead.last_hash)
                             .where(AuditChainHead.id == HEAD_ID)).first()
    return (row.last_event_id, row.last_hash) if row else (0, "")


def chain_summary():
    """(events in the trail, events written before the chain began, the last event's hash)."""
    total = db.session.scalar(select(func.count(AuditEvent.id)))
    unchained = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.row_hash == ""))
    return total, unchained, _head()[1]
