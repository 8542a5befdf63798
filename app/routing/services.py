"""Sending documents between units and what the receiving clerk does with them (R8, R14-R16, R18, R19).

Each delivery runs its own instance of the BPMN flow `bpmn/delivery.bpmn`. Arrivals, returns and recalls
raise notices (in-app and LINE) in the same transaction. Business state lives in the
delivery row; the engine decides which steps are allowed (recall is refused by the engine once nothing
waits for the message). Every step locks the delivery row first, so two clerks registering at once, or a
recall racing a registration, are decided one after the other.
"""
from sqlalchemy import select

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.documents import permissions
from app.extensions import db
from app.notifications.models import Event
from app.notifications.services import clerks_of, notify
from app.registry import services as registry
from app.registry.models import Direction
from app.routing.models import Delivery, DeliveryStatus, DistributionList, DistributionListMember
from app.workflow import engine
from app.workflow.errors import WorkflowError
from app.workflow.steps import StepKind

FLOW = "delivery"
RECALL_MESSAGE = "recall"
OPEN = (DeliveryStatus.SENT, DeliveryStatus.READ)


def send(actor, document, *, from_unit, to_units, note=""):
    """One delivery, with its own flow, per recipient unit (a circular is simply many of them)."""
    if document.deleted_at is not None:
        raise BusinessRuleError(_l("This document has been deleted."))
    permissions.require(permissions.may_send_from(actor.user, document, from_unit.id), actor)
    return deliver(actor, document, from_unit=from_unit, to_units=to_units, note=note)


def deliver(actor, document, *, from_unit, to_units, note=""):
    """The deliveries themselves, for a step already allowed: a signed outgoing letter leaves its unit
    whoever up the chain signed it (flow 3)."""
    if document.deleted_at is not None:
        raise BusinessRuleError(_l("This document has been deleted."))
    to_units = list({unit.id: unit for unit in to_units if unit is not None}.values())  # each unit once
    if not to_units:
        raise BusinessRuleError(_l("Choose at least one unit to send to."))
    for unit in to_units:
        _check_can_send_to(document, from_unit, unit)
    now = utcnow()
    # in the order of the units' ids, whatever order they were ticked in: two sends to the same units then
    # lock their clerks' LINE pushes in the same order, and cannot deadlock on them
    started = {unit.id: _start_delivery(actor, document, from_unit, unit, note.strip(), now)
               for unit in sorted(to_units, key=lambda unit: unit.id)}
    deliveries = [started[unit.id] for unit in to_units]
    document.first_sent_at = document.first_sent_at or now
    db.session.flush()
    return deliveries


def _check_can_send_to(document, from_unit, unit):
    if not unit.is_active:
        raise BusinessRuleError(_l("%(unit)s is inactive.", unit=unit.name_th))
    if unit.id == from_unit.id:
        raise BusinessRuleError(_l("A unit does not send a document to itself."))
    already = db.session.scalar(select(Delivery.id).where(
        Delivery.document_id == document.id, Delivery.to_unit_id == unit.id, Delivery.status.in_(OPEN)))
    if already is not None:
        raise BusinessRuleError(_l("This document is already waiting at %(unit)s.", unit=unit.name_th))


def _start_delivery(actor, document, from_unit, to_unit, note, now):
    delivery = Delivery(document_id=document.id, from_unit_id=from_unit.id, to_unit_id=to_unit.id, note=note,
                        sent_at=now, sent_by_id=actor.user_id)
    db.session.add(delivery)
    db.session.flush()
    # the document type's delivery flow (the shipped one by default), at its current version
    instance = engine.start(document.type.delivery_flow or FLOW, subject_type="delivery", subject_id=delivery.id,
                            unit_id=to_unit.id, data=engine.document_data(document))
    delivery.workflow_instance_id = instance.id
    audit.record(actor, "delivery.send", "document", document.id, delivery=delivery.id, to_unit=to_unit.code)
    notify(Event.ARRIVAL, clerks_of(to_unit), document=document, delivery=delivery, from_unit=from_unit,
           text=note)
    return delivery


def mark_read(actor, delivery):
    """R14: the first time a clerk of the receiving unit opens it, it becomes read."""
    delivery = locked(delivery)
    if delivery.status == DeliveryStatus.SENT:
        delivery.status, delivery.read_at, delivery.read_by_id = DeliveryStatus.READ, utcnow(), actor.user_id
        audit.record(actor, "delivery.read", "document", delivery.document_id, delivery=delivery.id)
    return delivery


def register(actor, delivery):
    """R15: the receiving clerk registers it without retyping; the receive number is issued (R16 keeps an
    earlier number of the same document in the same register)."""
    permissions.require(permissions.may_receive(actor.user, delivery), actor)
    delivery = locked(delivery)
    _check_open(delivery)
    _complete_review(delivery, actor, {"decision": "register"})
    register_of_unit = registry.default_register(delivery.to_unit, Direction.RECEIVE)
    entry = registry.issue_number(actor, register_of_unit, delivery.document, counterpart_unit=delivery.from_unit)
    delivery.status, delivery.registered_at = DeliveryStatus.REGISTERED, utcnow()
    delivery.registered_by_id, delivery.register_entry_id = actor.user_id, entry.id
    audit.record(actor, "delivery.register", "document", delivery.document_id, delivery=delivery.id,
                 number=entry.number)
    return entry


def return_to_sender(actor, delivery, note):
    """R19: ตีกลับ with a note; the sender sees at once that it came back, from which unit and why."""
    note = (note or "").strip()
    if not note:
        raise BusinessRuleError(_l("Say why the document is returned."))
    permissions.require(permissions.may_receive(actor.user, delivery), actor)
    delivery = locked(delivery)
    _check_open(delivery)
    _complete_review(delivery, actor, {"decision": "return", "note": note})
    delivery.status, delivery.returned_at = DeliveryStatus.RETURNED, utcnow()
    delivery.returned_by_id, delivery.return_note = actor.user_id, note
    audit.record(actor, "delivery.return", "document", delivery.document_id, delivery=delivery.id, note=note)
    notify(Event.RETURNED, [delivery.sent_by, *clerks_of(delivery.from_unit)], document=delivery.document,
           delivery=delivery, from_unit=delivery.to_unit, text=note)
    return delivery


def recall(actor, delivery):
    """R18: ดึงกลับ while the recipient has not registered it; refused once it has (read or not)."""
    permissions.require(permissions.may_recall(actor.user, delivery), actor)
    delivery = locked(delivery)
    if delivery.status in (DeliveryStatus.RETURNED, DeliveryStatus.RECALLED):
        raise BusinessRuleError(_l("This delivery is no longer waiting at the recipient."))
    if not engine.send_message(_instance(delivery), RECALL_MESSAGE, {"recalled_by": actor.user_id}):
        raise BusinessRuleError(_l("Too late to recall: %(unit)s has already registered it.",
                                   unit=delivery.to_unit.name_th))
    delivery.status, delivery.recalled_at, delivery.recalled_by_id = DeliveryStatus.RECALLED, utcnow(), actor.user_id
    audit.record(actor, "delivery.recall", "document", delivery.document_id, delivery=delivery.id)
    notify(Event.RECALLED, clerks_of(delivery.to_unit), document=delivery.document, delivery=delivery,
           from_unit=delivery.from_unit)
    return delivery


def locked(delivery):
    """The delivery row, locked for this transaction and re-read: another request may just have changed it."""
    return db.session.scalars(select(Delivery).where(Delivery.id == delivery.id).with_for_update()
                              .execution_options(populate_existing=True)).one()


def _check_open(delivery):
    if delivery.status == DeliveryStatus.REGISTERED:
        raise BusinessRuleError(_l("This delivery is already registered."))
    if delivery.status == DeliveryStatus.RECALLED:
        raise BusinessRuleError(_l("The sender has recalled this delivery."))
    if delivery.status == DeliveryStatus.RETURNED:
        raise BusinessRuleError(_l("This delivery was returned to the sender."))


def _complete_review(delivery, actor, data):
    try:
        instance = _instance(delivery)
        steps = engine.open_steps(instance, StepKind.REGISTER)
        if not steps:
            raise WorkflowError(f"no open register step in workflow instance {instance.id}")
        engine.complete_step(instance, steps[0], user_id=actor.user_id, data=data)
    except WorkflowError:
        raise BusinessRuleError(_l("This delivery can no longer be registered or returned.")) from None


def _instance(delivery):
    from app.workflow.models import WorkflowInstance

    return db.session.get(WorkflowInstance, delivery.workflow_instance_id)


def save_distribution_list(actor, *, unit, name, member_units, existing=None):
    """Create a unit's list of recipient units, or replace the name and members of `existing`."""
    name = (name or "").strip()
    if not name:
        raise BusinessRuleError(_l("Give the list a name."))
    members = {member.id: member for member in member_units if member is not None and member.id != unit.id}
    if not members:
        raise BusinessRuleError(_l("Choose at least one unit for the list."))
    clash = db.session.scalar(select(DistributionList.id).where(
        DistributionList.unit_id == unit.id, DistributionList.name == name))
    if clash is not None and (existing is None or clash != existing.id):
        raise BusinessRuleError(_l("Your unit already has a list named %(name)s.", name=name))
    target = existing or DistributionList(unit_id=unit.id, created_by_id=actor.user_id)
    target.name = name
    target.members = [DistributionListMember(unit_id=unit_id) for unit_id in members]
    db.session.add(target)
    db.session.flush()
    audit.record(actor, "distribution_list.save", "unit", unit.id, list=target.id, name=name,
                 units=sorted(members))
    return target


def set_distribution_list_active(actor, distribution_list, active):
    distribution_list.is_active = active
    db.session.flush()
    audit.record(actor, "distribution_list.activate" if active else "distribution_list.deactivate", "unit",
                 distribution_list.unit_id, list=distribution_list.id)
    return distribution_list
