"""Reading deliveries: a clerk's inbox, a unit's sent items, a document's route, and task lists. Lists show a
document's fields as their reader may see them (documents.classified)."""
from dataclasses import dataclass

from sqlalchemy import case, or_, select
from sqlalchemy.orm import selectinload

from app.core.thai_dates import today_local
from app.documents.classified import Shown, shown_for
from app.extensions import db
from app.handling.models import Handling
from app.org.queries import acting_for_ids, effective_roles
from app.routing.models import Delivery, DeliveryStatus, DistributionList, DistributionListMember
from app.workflow.models import WorkflowTask

SPEED_RANK = case({"most_urgent": 3, "very_urgent": 2, "urgent": 1}, value=WorkflowTask.speed, else_=0)
RECENT = 100
TASK_PAGE = 200


def waiting_deliveries(unit_ids, statuses=(DeliveryStatus.SENT, DeliveryStatus.READ)):
    """The select behind the inbox and the dashboard's counts of it: deliveries waiting at these units."""
    return select(Delivery).where(Delivery.to_unit_id.in_(unit_ids), Delivery.status.in_(statuses))


def units_waiting_for(document):
    """The ids of the units where the document waits to be received."""
    return set(db.session.scalars(select(Delivery.to_unit_id).where(
        Delivery.document_id == document.id, Delivery.status.in_((DeliveryStatus.SENT, DeliveryStatus.READ)))))


@dataclass(frozen=True)
class ListedDelivery:
    delivery: Delivery
    shown: Shown  # its document's fields as the reader may see them


def _listed(reader, deliveries):
    shown = shown_for(reader, [delivery.document for delivery in deliveries])
    return [ListedDelivery(delivery, shown[delivery.document_id]) for delivery in deliveries]


def inbox(unit_ids, reader):
    """Deliveries waiting at these units: new (unread) first, then newest."""
    return _listed(reader, db.session.scalars(
        waiting_deliveries(unit_ids)
        .options(selectinload(Delivery.document), selectinload(Delivery.from_unit))
        .order_by((Delivery.status == DeliveryStatus.SENT).desc(), Delivery.sent_at.desc(), Delivery.id.desc())
    ).all())


def sent_items(unit_ids, reader):
    """What these units sent lately, returned ones first (the sender must see them at once, R19)."""
    return _listed(reader, db.session.scalars(
        select(Delivery).where(Delivery.from_unit_id.in_(unit_ids))
        .options(selectinload(Delivery.document), selectinload(Delivery.from_unit),
                 selectinload(Delivery.to_unit))
        .order_by((Delivery.status == DeliveryStatus.RETURNED).desc(), Delivery.sent_at.desc(),
                  Delivery.id.desc()).limit(RECENT)
    ).all())


def recipient_units_to_send_to(document, exclude_unit_id=None):
    """Ids of the units of ours the letter names as recipients (เรียน), in the order named, leaving out those
    it is already waiting at and `exclude_unit_id` (the sending unit): what the send form starts with."""
    waiting = set(db.session.scalars(select(Delivery.to_unit_id).where(
        Delivery.document_id == document.id,
        Delivery.status.in_((DeliveryStatus.SENT, DeliveryStatus.READ)))))
    named = [recipient.unit_id for recipient in document.recipients if recipient.unit_id is not None]
    return [unit_id for unit_id in dict.fromkeys(named) if unit_id not in waiting and unit_id != exclude_unit_id]


def route_of(document):
    """Every unit-to-unit delivery of a document, start to end (R14 before registering, R29)."""
    return db.session.scalars(
        select(Delivery).where(Delivery.document_id == document.id)
        .options(selectinload(Delivery.from_unit), selectinload(Delivery.to_unit))
        .order_by(Delivery.sent_at, Delivery.id)
    ).all()


def my_tasks(user, limit=TASK_PAGE):
    """'My work': open tasks of my roles in my units (and of those I act for), plus those assigned to me;
    most urgent, then newest first. Reads task rows only."""
    return db.session.scalars(
        my_tasks_query(user)
        .order_by(SPEED_RANK.desc(), WorkflowTask.created_at.desc(), WorkflowTask.id.desc()).limit(limit)
    ).all()


def my_tasks_query(user):
    """The select behind "My work" and the dashboard's count of it."""
    lanes = [(held.role, held.unit.id) for held in effective_roles(user)]
    by_role = [(WorkflowTask.lane == role) & (WorkflowTask.unit_id == unit_id) & WorkflowTask.assignee_id.is_(None)
               for role, unit_id in lanes]
    return select(WorkflowTask).where(WorkflowTask.state == "ready",
                                      or_(WorkflowTask.assignee_id.in_(acting_for_ids(user)), *by_role))


def my_work(user):
    """My tasks, each with the delivery or the handling it belongs to, in three queries."""
    tasks = my_tasks(user)
    instance_ids = [task.instance_id for task in tasks]
    deliveries = {d.workflow_instance_id: d for d in db.session.scalars(
        select(Delivery).where(Delivery.workflow_instance_id.in_(instance_ids))
        .options(selectinload(Delivery.document), selectinload(Delivery.from_unit)))} if tasks else {}
    handlings = {h.workflow_instance_id: h for h in db.session.scalars(
        select(Handling).where(Handling.workflow_instance_id.in_(instance_ids))
        .options(selectinload(Handling.document), selectinload(Handling.unit)))} if tasks else {}
    sources = [(task, deliveries.get(task.instance_id), handlings.get(task.instance_id)) for task in tasks]
    shown = shown_for(user, [(delivery or handling).document for _, delivery, handling in sources
                             if delivery or handling])
    today = today_local()
    return [WorkItem(task, delivery, handling,
                     shown[(delivery or handling).document_id] if delivery or handling else None, today)
            for task, delivery, handling in sources]


@dataclass(frozen=True)
class WorkItem:
    task: WorkflowTask
    delivery: Delivery | None
    handling: object | None  # app.handling.models.Handling
    shown: Shown | None = None  # the document's fields as the reader may see them
    today: object = None  # datetime.date: the day the list is read, for `overdue`

    @property
    def document(self):
        source = self.delivery or self.handling
        return source.document if source else None

    @property
    def due_date(self):
        """The document's due date (shown even for a classified one, R34)."""
        return self.document.due_date if self.document else None

    @property
    def overdue(self):
        return self.due_date is not None and self.today is not None and self.due_date < self.today

    @property
    def from_unit(self):
        return self.delivery.from_unit if self.delivery else (self.handling.unit if self.handling else None)


def distribution_lists(unit_ids, active_only=True):
    query = (select(DistributionList).where(DistributionList.unit_id.in_(unit_ids))
             .options(selectinload(DistributionList.members).selectinload(DistributionListMember.unit))
             .order_by(DistributionList.name))
    if active_only:
        query = query.where(DistributionList.is_active.is_(True))
    return db.session.scalars(query).all()
