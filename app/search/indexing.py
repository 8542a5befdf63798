"""Working out a document's search rows from the documents, deliveries, registers and handlings.

The same code serves one document after a change and a million in a rebuild: it reads a batch of documents
with a fixed number of queries, builds the rows in Python and writes them in bulk.
"""
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from app.core.thai_dates import to_local
from app.documents.models import Document, DocumentRecipient
from app.extensions import db
from app.handling.models import Handling, HandlingStatus
from app.org.models import Unit
from app.registry.models import NO_YEAR, Register, RegisterEntry
from app.routing.models import Delivery, DeliveryStatus
from app.search.models import SearchEntry, SearchGram, SearchStatus
from app.search.text import bigrams, normal_form, thai_sort_key

HANDLING_STATUS = {
    HandlingStatus.NEW: SearchStatus.REGISTERED,
    HandlingStatus.WITH_MANAGER: SearchStatus.IN_PROGRESS,
    HandlingStatus.IN_PROGRESS: SearchStatus.IN_PROGRESS,
    HandlingStatus.SENT_BACK: SearchStatus.IN_PROGRESS,
    HandlingStatus.DONE: SearchStatus.IN_PROGRESS,
    HandlingStatus.AWAITING_SIGNATURE: SearchStatus.AWAITING_SIGNATURE,
    HandlingStatus.AWAITING_COSIGNATURE: SearchStatus.AWAITING_SIGNATURE,
    HandlingStatus.SIGNED: SearchStatus.SIGNED,
    HandlingStatus.DISPATCHED: SearchStatus.SIGNED,
    HandlingStatus.CLOSED: SearchStatus.CLOSED,
    HandlingStatus.FORWARDED: SearchStatus.CLOSED,
    HandlingStatus.WITHDRAWN: SearchStatus.CLOSED,
}
ARRIVAL_STATUS = {
    DeliveryStatus.SENT: SearchStatus.NEW,
    DeliveryStatus.READ: SearchStatus.READ,
    DeliveryStatus.REGISTERED: SearchStatus.REGISTERED,
    DeliveryStatus.RETURNED: SearchStatus.RETURNED,
}
SENDER_STATUS = {DeliveryStatus.RETURNED: SearchStatus.RETURNED,
                 DeliveryStatus.RECALLED: SearchStatus.RECALLED}


@dataclass
class DocumentFacts:
    """Everything about one document that its search rows are made from."""
    document: object
    recipients: list
    entries: list      # (RegisterEntry, Register), oldest first
    deliveries: list   # oldest first
    handlings: list    # oldest first


def load_facts(document_ids):
    """The facts of these documents, in five queries."""
    documents = db.session.execute(select(Document).where(Document.id.in_(document_ids))).scalars().all()
    facts = {d.id: DocumentFacts(d, [], [], [], []) for d in documents}
    for recipient in db.session.scalars(select(DocumentRecipient).where(
            DocumentRecipient.document_id.in_(document_ids)).order_by(DocumentRecipient.id)):
        facts[recipient.document_id].recipients.append(recipient)
    for entry, register in db.session.execute(select(RegisterEntry, Register).join(Register).where(
            RegisterEntry.document_id.in_(document_ids), RegisterEntry.cancelled_at.is_(None))
            .order_by(RegisterEntry.created_at, RegisterEntry.id)):
        facts[entry.document_id].entries.append((entry, register))
    for delivery in db.session.scalars(select(Delivery).where(Delivery.document_id.in_(document_ids))
                                       .order_by(Delivery.id)):
        facts[delivery.document_id].deliveries.append(delivery)
    for handling in db.session.scalars(select(Handling).where(Handling.document_id.in_(document_ids))
                                       .order_by(Handling.id)):
        facts[handling.document_id].handlings.append(handling)
    return facts


def unit_names():
    return dict(db.session.execute(select(Unit.id, Unit.name_th)).all())


def concerned_unit_ids(facts):
    """The same units as documents.access.involved_unit_ids: whoever owns, sent, receives or numbered it
    (named recipients are only addresses until a delivery reaches them: issue 12 item 2)."""
    doc = facts.document
    ids = {doc.owner_unit_id, doc.from_unit_id}
    ids |= {register.unit_id for _, register in facts.entries}
    for delivery in facts.deliveries:
        ids.add(delivery.from_unit_id)
        if delivery.status != DeliveryStatus.RECALLED:
            ids.add(delivery.to_unit_id)
    return ids - {None}


def entry_rows(facts, names, timezone_name):
    """The document's search rows, one for each unit it concerns (none for a deleted draft)."""
    doc = facts.document
    if doc.deleted_at is not None:
        return []
    shared = dict(
        document_id=doc.id, doc_number_key=normal_form(doc.doc_number)[:100], dated=doc.dated,
        subject_key=normal_form(doc.subject)[:500], subject_sort=thai_sort_key(doc.subject),
        from_key=normal_form(names.get(doc.from_unit_id) or doc.from_text
                             or names.get(doc.owner_unit_id))[:300],
        to_key=normal_form(" | ".join(_addressees(facts, names)))[:1000],
        owner_unit_id=doc.owner_unit_id, type_id=doc.type_id, category_id=doc.category_id,
        secrecy=doc.secrecy, speed=doc.speed, due_date=doc.due_date)
    return [dict(shared, **_as_seen_by(facts, unit_id, timezone_name))
            for unit_id in sorted(concerned_unit_ids(facts))]


def _addressees(facts, names):
    yield facts.document.addressed_to
    for recipient in facts.recipients:
        yield names.get(recipient.unit_id) or recipient.name_text
    for delivery in facts.deliveries:
        if delivery.status != DeliveryStatus.RECALLED:
            yield names.get(delivery.to_unit_id, "")


def _as_seen_by(facts, unit_id, timezone_name):
    entry, register = next(((e, r) for e, r in facts.entries if r.unit_id == unit_id), (None, None))
    arrival = next((d for d in reversed(facts.deliveries)
                    if d.to_unit_id == unit_id and d.status != DeliveryStatus.RECALLED), None)
    received_at = entry.created_at if entry else arrival.sent_at if arrival else facts.document.created_at
    year = entry.year if entry and entry.year != NO_YEAR else to_local(received_at, timezone_name).year
    return dict(unit_id=unit_id, year=year, received_at=received_at,
                register_id=register.id if register else None,
                register_direction=register.direction if register else None,
                reg_number=entry.number if entry else None,
                status=_status(facts, unit_id, entry, arrival))


def _status(facts, unit_id, entry, arrival):
    handling = next((h for h in reversed(facts.handlings) if h.unit_id == unit_id), None)
    if handling is not None:
        return HANDLING_STATUS[HandlingStatus(handling.status)]
    if arrival is not None:
        return ARRIVAL_STATUS[DeliveryStatus(arrival.status)]
    sent = [d for d in facts.deliveries if d.from_unit_id == unit_id]
    if sent:
        return SENDER_STATUS.get(DeliveryStatus(sent[-1].status), SearchStatus.SENT)
    return SearchStatus.REGISTERED if entry else SearchStatus.NEW


def gram_rows(document_id, subject_key):
    return [{"gram": gram, "document_id": document_id} for gram in sorted(bigrams(subject_key))]


def write_rows(document_ids, facts, names, timezone_name, *, replace=True):
    """Replace the documents' search rows by freshly worked out ones; bigrams only where the subject
    changed (they are 50 rows a document)."""
    old_subjects = {}
    if replace:
        old_subjects = dict(db.session.execute(select(SearchEntry.document_id, SearchEntry.subject_key)
                                               .where(SearchEntry.document_id.in_(document_ids))).all())
        db.session.execute(delete(SearchEntry).where(SearchEntry.document_id.in_(document_ids)))
    entries, grams, regrammed = [], [], []
    for document_id in document_ids:
        rows = entry_rows(facts[document_id], names, timezone_name) if document_id in facts else []
        entries += rows
        new_subject = rows[0]["subject_key"] if rows else None
        if not replace or old_subjects.get(document_id) != new_subject:
            regrammed.append(document_id)
            if new_subject is not None:
                grams += gram_rows(document_id, new_subject)
    if replace and regrammed:
        db.session.execute(delete(SearchGram).where(SearchGram.document_id.in_(regrammed)))
    if entries:
        db.session.execute(insert(SearchEntry), entries)
    if grams:
        db.session.execute(insert(SearchGram), sorted(grams, key=lambda g: (g["gram"], g["document_id"])))
    return len(entries)
