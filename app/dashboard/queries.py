"""R7: the home page's numbers and the lists they open.

Every number is counted with the very select that lists it, so a number always matches its list: a person's
tiles count their own units (and work given to them), a manager's table counts each unit below them with
the same select narrowed to that unit and grouped by it.

What the numbers mean (as a Thai registry clerk reads them):
- new arrivals / awaiting registration: deliveries waiting at the unit, unopened / not yet registered.
- my tasks, awaiting my signature, following: the person's own lists ("My work", "To sign", "Following").
- open work: the unit's unfinished handlings, whatever step they wait at.
- awaiting signature (a unit): proposals of the unit waiting for a manager's signature.
- signed (ลงนามแล้ว): letters signed in the chosen period (`handling.signed_at`, set once by
  `handling.services.sign`), whatever happened to them since (closed, forwarded, dispatched). A manager's
  own number counts the letters they signed (also while acting for someone) and those a deputy signed in
  their name (the signature note's acting_for_id); a unit's number counts the letters signed in the unit;
  anyone else's counts the letters signed in their units or given to them.
- returned (ถูกตีกลับ): each copy (delivery) the unit sent that its receiver returned, until the unit sends
  the document to that receiver again. A letter sent to three units and returned by two counts 2, and
  sending it again to one of them leaves 1: a copy to another unit does not settle this unit's return
  (deciding by the send and return times made it depend on whether they fell in the same second).
- overdue (เกินกำหนด): unfinished handlings whose document's due date has passed (before today).
- due soon (ใกล้ครบกำหนด): unfinished handlings due from today to DUE_SOON_DAYS days ahead (today included;
  the due-soon notice uses the same window).
A person's units are the ones they work in (their own, and on the days they act for someone, that person's);
work given to them is the handlings they are the operator or the current reviewer of, wherever it is.

Indexes: handling (unit_id, status) for the handling numbers, with responsible_id and reviewer_id (foreign
keys, so indexed on MariaDB) merged in for a person's own; delivery (to_unit_id, status) for arrivals and
(from_unit_id, status) for "returned"; the median chart reads delivery (to_unit_id, registered_at).
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.documents import access, classified
from app.documents.models import Document, DocumentType
from app.documents.queries import clerk_units
from app.extensions import db
from app.followups.queries import followed_documents
from app.core.thai_dates import local_midnight_utc
from app.handling.models import Handling, HandlingNote, HandlingStatus, NoteKind
from app.handling.queries import awaiting_signature_query
from app.org.models import Role, Unit
from app.org.queries import acting_for_ids, effective_roles, holds_any_role, subtree_ids, unit_tree
from app.routing.models import Delivery, DeliveryStatus
from app.routing.queries import my_tasks_query, waiting_deliveries

PAGE_SIZE = 50
OPEN = tuple(status.value for status in HandlingStatus if not status.is_finished)
AWAITING = (HandlingStatus.AWAITING_SIGNATURE, HandlingStatus.AWAITING_COSIGNATURE)  # a signature still to come


@dataclass(frozen=True)
class Scope:
    """Whose numbers: the work of these units, and (a person's own tiles) work given to these people; a
    manager's own "signed" counts what `signer` signed instead. `type_id` narrows any number to one document
    type (the table of document kinds)."""
    unit_ids: frozenset
    people: tuple = ()
    signer: int | None = None
    type_id: int | None = None


# The periods a home page can be read over (the `period` argument); the first is the default.
PERIODS = ("30d", "7d", "month", "fiscal_year")


@dataclass(frozen=True)
class Period:
    """The days the due-date numbers are counted against, and the days (start to today, both included) the
    "signed" numbers count."""
    today: date
    soon_days: int
    choice: str = PERIODS[0]
    timezone: str = "Asia/Bangkok"

    @property
    def soon_until(self):
        return self.today + timedelta(days=self.soon_days)

    @property
    def start(self):
        if self.choice == "7d":
            return self.today - timedelta(days=6)
        if self.choice == "month":
            return self.today.replace(day=1)
        if self.choice == "fiscal_year":  # the Thai government's year starts on 1 October
            year = self.today.year if self.today.month >= 10 else self.today.year - 1
            return date(year, 10, 1)
        return self.today - timedelta(days=29)

    def signed_between(self):
        """The period as [from, until) in UTC, the form signed_at is stored in."""
        return (local_midnight_utc(self.start, self.timezone),
                local_midnight_utc(self.today + timedelta(days=1), self.timezone))


# ---- the selects ---------------------------------------------------------------------------------------

def _handling_scope(scope):
    in_units = Handling.unit_id.in_(scope.unit_ids)
    if not scope.people:
        return in_units
    return or_(in_units, Handling.responsible_id.in_(scope.people), Handling.reviewer_id.in_(scope.people))


def _handlings(scope, *conditions):
    return select(Handling).where(_handling_scope(scope), *conditions)


def _due(scope, *conditions):
    return (select(Handling).join(Document, Document.id == Handling.document_id)
            .where(_handling_scope(scope), Handling.status.in_(OPEN), Document.deleted_at.is_(None),
                   Document.due_date.is_not(None), *conditions))


def _returned(scope):
    """Each returned copy, until the unit sends the document to the same receiver again."""
    sent_again = aliased(Delivery)
    later = exists().where(sent_again.document_id == Delivery.document_id,
                           sent_again.from_unit_id == Delivery.from_unit_id, sent_again.id > Delivery.id,
                           sent_again.to_unit_id == Delivery.to_unit_id)
    return select(Delivery).where(Delivery.from_unit_id.in_(scope.unit_ids),
                                  Delivery.status == DeliveryStatus.RETURNED, ~later)


def _signed(scope, period):
    since, until = period.signed_between()
    in_period = (Handling.signed_at >= since, Handling.signed_at < until)
    if scope.signer is None:
        return _handlings(scope, *in_period)
    in_their_name = exists().where(HandlingNote.handling_id == Handling.id,
                                   HandlingNote.kind == NoteKind.SIGNATURE,
                                   HandlingNote.acting_for_id == scope.signer)
    return select(Handling).where(or_(Handling.signed_by_id == scope.signer, in_their_name), *in_period)


@dataclass(frozen=True)
class Measure:
    kind: str            # "delivery" or "handling": what a row of its list is
    unit_column: object  # the column the manager's table groups by
    build: object        # (scope, period) -> select
    order: tuple         # how its list is sorted


MEASURES = {
    "new_arrivals": Measure("delivery", Delivery.to_unit_id,
                            lambda s, p: waiting_deliveries(s.unit_ids, (DeliveryStatus.SENT,)),
                            (Delivery.sent_at.desc(), Delivery.id.desc())),
    "awaiting_registration": Measure("delivery", Delivery.to_unit_id,
                                     lambda s, p: waiting_deliveries(s.unit_ids),
                                     (Delivery.sent_at.desc(), Delivery.id.desc())),
    "open_work": Measure("handling", Handling.unit_id,
                         lambda s, p: _handlings(s, Handling.status.in_(OPEN)),
                         (Handling.started_at.desc(), Handling.id.desc())),
    "awaiting_signature": Measure("handling", Handling.unit_id,
                                  lambda s, p: _handlings(s, Handling.status.in_(AWAITING)),
                                  (Handling.started_at.desc(), Handling.id.desc())),
    "signed": Measure("handling", Handling.unit_id,
                      _signed, (Handling.signed_at.desc(), Handling.id.desc())),
    "returned": Measure("delivery", Delivery.from_unit_id, lambda s, p: _returned(s),
                        (Delivery.returned_at.desc(), Delivery.id.desc())),
    "overdue": Measure("handling", Handling.unit_id, lambda s, p: _due(s, Document.due_date < p.today),
                       (Document.due_date, Handling.id)),
    "due_soon": Measure("handling", Handling.unit_id,
                        lambda s, p: _due(s, Document.due_date >= p.today, Document.due_date <= p.soon_until),
                        (Document.due_date, Handling.id)),
}
UNIT_KEYS = tuple(MEASURES)  # the manager's table, in column order
PERSONAL_KEYS = ("signed", "returned", "overdue", "due_soon")  # a person's tiles that open a dashboard list
# A person's tiles whose list lives elsewhere: /dashboard/<key> without a unit goes there.
ELSEWHERE = {"new_arrivals": "routing.inbox", "awaiting_registration": "routing.inbox",
             "awaiting_signature": "handling.signatures"}
KIND_KEYS = ("awaiting_signature", "signed")  # the table of document kinds


def build(key, scope, period):
    """The select of one number, narrowed to a document type when the scope names one."""
    measure = MEASURES[key]
    query = measure.build(scope, period)
    if scope.type_id is None:
        return query
    column = Delivery.document_id if measure.kind == "delivery" else Handling.document_id
    return query.where(column.in_(select(Document.id).where(Document.type_id == scope.type_id)))


def personal_scope(user, key):
    """A person's own numbers: their working units (and those they act for), plus work given to them; a
    manager's "signed" is what they signed."""
    if key == "signed" and holds_any_role(user, {Role.MANAGER}):
        return Scope(frozenset(), signer=user.id)
    units = frozenset(access.working_unit_ids(user))
    return Scope(units) if key == "returned" else Scope(units, tuple(acting_for_ids(user)))


def _count(query):
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


# ---- a person's tiles ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tile:
    key: str
    count: int
    endpoint: str
    args: dict = field(default_factory=dict)


def tiles(user, period):
    clerk_unit_ids = [unit.id for unit in clerk_units(user)]
    result = []
    if clerk_unit_ids:
        result += [Tile("new_arrivals", _count(waiting_deliveries(clerk_unit_ids, (DeliveryStatus.SENT,))),
                        "routing.inbox"),
                   Tile("awaiting_registration", _count(waiting_deliveries(clerk_unit_ids)), "routing.inbox")]
    result.append(Tile("my_tasks", _count(my_tasks_query(user)), "routing.my_work"))
    if holds_any_role(user, {Role.MANAGER}):
        result.append(Tile("awaiting_signature", _count(awaiting_signature_query(user)),
                           "handling.signatures"))
    for key in PERSONAL_KEYS:
        result.append(Tile(key, _count(build(key, personal_scope(user, key), period)),
                           "dashboard.listing", {"key": key, "period": period.choice}))
    result.append(Tile("following", _count(followed_documents(user)), "followups.index"))
    return result


# ---- a manager's table -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    depth: int
    counts: dict  # key -> number


def managed_units(user):
    """The units the user manages (their own, or through acting for someone), top ones first."""
    units = {held.unit.id: held.unit for held in effective_roles(user) if held.role == Role.MANAGER}
    return sorted(units.values(), key=lambda unit: (unit.sort_order, unit.id))


def managed_unit_ids(user):
    """The units the user manages and every unit below them."""
    ids = set()
    for unit in managed_units(user):
        ids |= subtree_ids(unit)
    return ids


def unit_table(user, period):
    """One row per unit the user manages and per unit below it, in org-chart order; inactive units only while
    they still hold numbers. Each column is one grouped query over all those units."""
    ids = managed_unit_ids(user)
    if not ids:
        return []
    counts = {key: counts_by_unit(key, ids, period) for key in UNIT_KEYS}
    tree = [(unit, depth) for unit, depth in unit_tree() if unit.id in ids]
    top = min(depth for _, depth in tree)
    rows = [UnitRow(unit, depth - top, {key: counts[key].get(unit.id, 0) for key in UNIT_KEYS})
            for unit, depth in tree]
    return [row for row in rows if row.unit.is_active or any(row.counts.values())]


def counts_by_unit(key, unit_ids, period):
    """{unit id: number} of one measure, from its select for these units grouped by unit."""
    measure = MEASURES[key]
    listed = build(key, Scope(frozenset(unit_ids)), period).order_by(None).subquery()
    unit_column = listed.c[measure.unit_column.key]
    return dict(db.session.execute(select(unit_column, func.count()).group_by(unit_column)).all())


# ---- a manager's table of document kinds -----------------------------------------------------------------

@dataclass(frozen=True)
class KindRow:
    type: DocumentType
    counts: dict  # key -> number


def kind_table(user, period):
    """Per document type, over the units the user manages and those below: letters awaiting signature now
    and letters signed in the period; only the types that hold a number (fourteen rows of zeros hide the two
    that matter)."""
    ids = managed_unit_ids(user)
    if not ids:
        return []
    counts = {key: counts_by_type(key, ids, period) for key in KIND_KEYS}
    types = db.session.scalars(select(DocumentType).order_by(DocumentType.sort_order, DocumentType.id)).all()
    rows = [KindRow(kind, {key: counts[key].get(kind.id, 0) for key in KIND_KEYS}) for kind in types]
    return [row for row in rows if any(row.counts.values())]


def counts_by_type(key, unit_ids, period):
    """{document type id: number} of one measure for these units, from its select grouped by type."""
    listed = build(key, Scope(frozenset(unit_ids)), period).order_by(None).subquery()
    document_id = listed.c["document_id"]
    return dict(db.session.execute(select(Document.type_id, func.count()).select_from(listed)
                                   .join(Document, Document.id == document_id).group_by(Document.type_id)).all())


# ---- the list behind a number ------------------------------------------------------------------------

@dataclass(frozen=True)
class ListedRow:
    document: Document
    content_visible: bool
    unit: Unit               # the unit the number belongs to
    counterpart: Unit | None  # the sender of an arrival, the unit that returned a delivery
    kind: str                # "delivery" or "handling"
    status: str
    handling_id: int | None
    signed_by: object = None  # a handling's signer (User) and when, for the "signed" list
    signed_at: object = None

    @property
    def shown(self):
        return classified.Shown(self.document, self.content_visible)


@dataclass(frozen=True)
class ListPage:
    key: str
    unit: Unit | None  # None: the person's own tile, or (managed) all the units a manager oversees
    rows: list
    total: int
    page: int
    managed: bool = False
    type: DocumentType | None = None
    signer: bool = False  # a manager's own "signed": what they signed

    @property
    def pages(self):
        return max(1, -(-self.total // PAGE_SIZE))


def list_page(user, key, unit_id, period, page=1, *, managed=False, type_id=None):
    """The page of the list a number opens: a person's own (no unit), one unit's (a manager's table cell,
    or a unit the user works in) or, `managed`, all the units a manager oversees (the table of document
    kinds), optionally of one document type. None when there is no such list for this user."""
    kind = db.session.get(DocumentType, type_id) if type_id is not None else None
    if type_id is not None and kind is None:
        return None
    if managed:
        ids = managed_unit_ids(user)
        if key not in KIND_KEYS or not ids:
            return None
        unit, scope = None, Scope(frozenset(ids))
    elif unit_id is None:
        if key not in PERSONAL_KEYS:
            return None
        unit, scope = None, personal_scope(user, key)
    else:
        unit = db.session.get(Unit, unit_id)
        if key not in UNIT_KEYS or unit is None or unit.id not in access.overseen_unit_ids(user):
            return None
        scope = Scope(frozenset({unit.id}))
    scope = Scope(scope.unit_ids, scope.people, scope.signer, type_id)
    measure = MEASURES[key]
    query = build(key, scope, period)
    total = _count(query)
    items = db.session.scalars(query.options(*_loading(measure.kind)).order_by(*measure.order)
                               .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    readable = classified.readable_ids(user, [item.document for item in items])
    return ListPage(key, unit, [_row(key, item, item.document_id in readable) for item in items], total, page,
                    managed, kind, scope.signer is not None)


def _loading(kind):
    if kind == "delivery":
        return (selectinload(Delivery.document), selectinload(Delivery.from_unit),
                selectinload(Delivery.to_unit))
    return (selectinload(Handling.document), selectinload(Handling.unit), selectinload(Handling.signed_by))


def _row(key, item, visible):
    document = item.document
    if isinstance(item, Handling):
        return ListedRow(document, visible, item.unit, None, "handling", item.status, item.id, item.signed_by,
                         item.signed_at)
    if key == "returned":
        return ListedRow(document, visible, item.from_unit, item.to_unit, "delivery", item.status, None)
    return ListedRow(document, visible, item.to_unit, item.from_unit, "delivery", item.status, None)
