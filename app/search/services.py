"""Keeping the search rows in step with the documents.

Any flush that adds, changes or removes a document or a row that shapes its search rows (recipients,
register entries, deliveries, handlings) writes a `search_pending` marker in the same transaction, so a
rollback takes the marker with it and a crash after commit leaves it to be found. Markers are applied in a
transaction of their own: every search applies what is pending before it reads (so a search sees every
committed change), and a periodic job applies them for everyone else.

Applying locks the documents first and only then reads them, so the rows are worked out from a snapshot
that includes every committed change; two appliers of the same document take turns.
"""
from itertools import chain

from sqlalchemy import Engine, delete, event, func, insert, inspect, literal, select
from sqlalchemy.orm import Session

from app.core.models import utcnow
from app.documents.models import Document, DocumentRecipient
from app.extensions import db
from app.handling.models import Handling
from app.org.models import Unit
from app.registry.models import RegisterEntry
from app.routing.models import Delivery
from app.search.indexing import load_facts, unit_names, write_rows
from app.search.models import SearchEntry, SearchGram, SearchPending

SHAPING = (DocumentRecipient, Delivery, RegisterEntry, Handling)
APPLY_BATCH = 500
REBUILD_BATCH = 2000


@event.listens_for(Session, "after_flush")
def _mark_changed_documents(session, flush_context):
    ids = {obj.id if isinstance(obj, Document) else obj.document_id
           for obj in chain(session.new, session.dirty, session.deleted)
           if isinstance(obj, (Document, *SHAPING))} - {None}
    if ids:
        now = utcnow()
        session.connection().execute(insert(SearchPending),
                                     [{"document_id": document_id, "at": now} for document_id in sorted(ids)])
    for unit in session.dirty:
        if isinstance(unit, Unit) and inspect(unit).attrs.name_th.history.has_changes():
            _mark_documents_of_unit(session, unit.id)


def _mark_documents_of_unit(session, unit_id):
    """A renamed unit is named in the จาก/ถึง of every document it is concerned with, and each of those has
    a row of this unit."""
    documents = select(SearchEntry.document_id, literal(utcnow())).where(SearchEntry.unit_id == unit_id)
    session.connection().execute(insert(SearchPending).from_select(["document_id", "at"], documents))


def apply_pending(timezone_name):
    """Work out again the rows of every document with a marker; commits each batch. Call it with no
    transaction open (a view commits first, a job starts fresh)."""
    applied = 0
    while True:
        _read_committed()
        markers = db.session.execute(select(SearchPending.id, SearchPending.document_id)
                                     .order_by(SearchPending.id).limit(APPLY_BATCH)
                                     .with_for_update(skip_locked=True)).all()
        if not markers:
            return applied
        document_ids = sorted({marker.document_id for marker in markers})
        db.session.execute(select(Document.id).where(Document.id.in_(document_ids)).order_by(Document.id)
                           .with_for_update())
        write_rows(document_ids, load_facts(document_ids), unit_names(), timezone_name)
        db.session.execute(delete(SearchPending).where(SearchPending.id.in_([m.id for m in markers])))
        db.session.commit()
        applied += len(document_ids)
        if len(markers) < APPLY_BATCH:
            return applied


def _read_committed():
    """Each batch runs READ COMMITTED on MariaDB/MySQL. Its locking reads then take no gap locks, so an
    applier never holds up (or deadlocks with) a transaction adding markers, and the rows it reads after
    the documents' locks are granted include every change committed before. A session bound to an open
    connection (the tests' outer transaction) keeps its level: nothing runs beside it there."""
    bind = db.session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name in ("mysql", "mariadb"):
        db.session.connection(execution_options={"isolation_level": "READ COMMITTED"})


def pending_count():
    return db.session.scalar(select(func.count()).select_from(SearchPending))


def rebuild_all(timezone_name, progress=None):
    """Every search row made anew from the documents, in batches (after a restore, or to check the rows
    against the documents). Markers older than the rebuild are dropped: the rebuild covers them."""
    db.session.execute(delete(SearchPending))
    db.session.execute(delete(SearchGram))
    db.session.execute(delete(SearchEntry))
    db.session.commit()
    names, last_id, done = unit_names(), 0, 0
    while True:
        document_ids = db.session.scalars(select(Document.id).where(Document.id > last_id)
                                          .order_by(Document.id).limit(REBUILD_BATCH)).all()
        if not document_ids:
            return done
        write_rows(document_ids, load_facts(document_ids), names, timezone_name, replace=False)
        db.session.commit()
        db.session.expunge_all()
        last_id, done = document_ids[-1], done + len(document_ids)
        if progress:
            progress(done)
