"""Reading documents: lists for a user (R34, R32), choices for forms, one document's history."""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import extract, func, select
from sqlalchemy.orm import selectinload

from app.core.models import AuditEvent
from app.documents import access, classified
from app.documents.models import Category, DeliveryMethod, Document, DocumentType
from app.extensions import db
from app.org.models import Role, User
from app.org.queries import effective_roles
from app.registry import queries as registry_queries

PAGE_SIZE = 50


@dataclass(frozen=True)
class ListedDocument:
    document: Document
    content_visible: bool

    @property
    def shown(self):
        return classified.Shown(self.document, self.content_visible)


def active_choices(model, locale="th"):
    rows = db.session.scalars(select(model).where(model.is_active.is_(True))
                              .order_by(model.sort_order, model.id)).all()
    return [(row.id, row.name(locale)) for row in rows]


def document_type_choices(locale="th"):
    return active_choices(DocumentType, locale)


def document_type_form_choices(locale="th"):
    """The active types for a form's type select, each option carrying what a new document of the type
    starts with (app/static/js/type-defaults.js fills the speed, secrecy and due fields from them)."""
    rows = db.session.scalars(select(DocumentType).where(DocumentType.is_active.is_(True))
                              .order_by(DocumentType.sort_order, DocumentType.id)).all()
    return [(row.id, row.name(locale), {"data-speed": row.default_speed, "data-secrecy": row.default_secrecy,
                                        "data-due-days": "" if row.default_due_days is None
                                        else str(row.default_due_days)}) for row in rows]


def apply_type_defaults(form):
    """A new document's form shown for the first time starts with its type's defaults (the first type's
    when none is chosen yet)."""
    chosen = form.type_id.data or (form.type_id.choices[0][0] if form.type_id.choices else None)
    document_type = db.session.get(DocumentType, chosen) if chosen else None
    if document_type is None:
        return
    form.type_id.data = document_type.id
    form.speed.data, form.secrecy.data = document_type.default_speed, document_type.default_secrecy
    if hasattr(form, "due_days"):
        form.due_days.data = document_type.default_due_days


def category_choices(locale="th"):
    return active_choices(Category, locale)


def delivery_method_choices(locale="th"):
    return active_choices(DeliveryMethod, locale)


def clerk_units(user):
    """The units whose letters this user registers: their own as clerk, and those of people they act for."""
    units = {held.unit.id: held.unit for held in effective_roles(user) if held.role == Role.CLERK}
    return sorted(units.values(), key=lambda unit: (unit.sort_order, unit.id))


def documents_for(user, *, year=None, page=1):
    """The documents the user may see, newest first; `year` None means every year (R32)."""
    query = access.visible_documents(user)
    if year is not None:
        query = query.where(extract("year", Document.created_at) == year)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Document.created_at.desc(), Document.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    readable = classified.readable_ids(user, rows)
    return [ListedDocument(doc, doc.id in readable) for doc in rows], total


def is_draft(document):
    """A draft can still be deleted: never sent, and holding no register number."""
    return document.first_sent_at is None and not registry_queries.holds_number(document)


def may_take_send_number(document):
    """Neither a received letter (it keeps its sender's number) nor one already numbered."""
    return not registry_queries.holds_number(document)


@dataclass(frozen=True)
class TimelineStep:
    event: AuditEvent
    person: object | None      # User
    acting_for: object | None  # User
    waited: timedelta | None   # time from this step to the next one (None for the last)


def timeline(document):
    """Every step of a document, oldest first (R14, R28): who (and for whom), when, and how long until the
    next step. People are loaded in one query."""
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "document",
                                                         AuditEvent.subject_id == document.id)
                                .order_by(AuditEvent.id)).all()
    ids = {e.actor_id for e in events} | {e.acting_for_id for e in events}
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids - {None}))
                                                  .options(selectinload(User.unit)))} if ids else {}
    return [TimelineStep(event, people.get(event.actor_id), people.get(event.acting_for_id),
                         events[i + 1].at - event.at if i + 1 < len(events) else None)
            for i, event in enumerate(events)]
