"""Reads: what a user must do now with a document, for the top of its page (issue 14 item 3).

One primary action (the step waiting for this user), and the other actions they may take. Every offer is
decided by a rule of app.documents.permissions (a handling's step through `may_take_step`, which is
handling.queries.may_act); this module only orders them.

A person may hold the letter in more than one unit: a clerk of their own unit who acts for the clerk of
another (รักษาราชการแทน), when both units have it. The page then acts for one unit's copy at a time, the
unit of the step they picked (from งานของฉัน, or by choosing on the page), and says so: the steps and the
send offered are that unit's, and a send goes from that unit (issue 14).
"""
from dataclasses import dataclass

from app.core.messages import lazy_gettext as _l
from app.documents import permissions
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling.models import Handling
from app.org.models import Unit
from app.registry.models import RegisterEntry
from app.routing.models import Delivery, DeliveryStatus
from app.workflow.models import WorkflowTask

SEND, FORWARD = "send", "forward"
WAITING = (DeliveryStatus.SENT, DeliveryStatus.READ)

LABELS = {
    "register": _l("Register (issue the receive number)"),
    "return": _l("Return to sender"),
    "assign": _l("Assign"),
    "to-manager": _l("Send to a manager for instructions"),
    "close": _l("Close (ปิดงาน)"),
    "progress": _l("Record progress"),
    "propose": _l("Propose for signature"),
    "done": _l("Work finished, no signature needed"),
    "resubmit": _l("Propose again"),
    "withdraw": _l("Withdraw the proposal"),
    "sign": _l("Sign"),
    "endorse": _l("Endorse and pass up"),
    "send-back": _l("Send back"),
    "cosign": _l("Co-sign"),
    "decline-cosign": _l("Do not co-sign: send back"),
    FORWARD: _l("Forward to other units"),
    SEND: _l("Send"),
    "propose-outgoing": _l("Propose for signature"),
    "send-number": _l("Issue the outgoing document number"),
    "due-date": _l("Change due date"),
    "cancel-number": _l("Cancel number"),
    "delete": _l("Delete draft"),
}


@dataclass(frozen=True)
class Offer:
    action: str
    handling: Handling | None = None
    delivery: Delivery | None = None
    entry: RegisterEntry | None = None
    unit: Unit | None = None  # a send without a step of its own: the unit it goes from

    @property
    def from_unit(self):
        """The unit a send goes from: the unit whose step it ends, else the one it was offered for."""
        return self.handling.unit if self.handling is not None else self.unit

    @property
    def key(self):
        """Unique on the page: the id of the part that opens its form."""
        thing = self.handling or self.delivery or self.entry
        return f"{self.action}-{thing.id}" if thing is not None else self.action

    @property
    def label(self):
        # Sending on while the unit's step is open ends that step: the clerk reads it as passing it on.
        return LABELS[FORWARD] if self.action == SEND and self.handling is not None else LABELS[self.action]


@dataclass(frozen=True)
class ToDo:
    primary: Offer | None
    others: tuple
    task: WorkflowTask | None = None  # the open step of the work the primary action takes
    unit: Unit | None = None  # the unit whose copy the steps and the send are for
    units: tuple = ()  # every unit the user may act for on this letter, when more than one: to choose from
    step_unit_ids: frozenset = frozenset()  # those of `units` where a step of the user's is open


def to_do(user, document, *, route, handlings, entries, is_draft, may_take_send_number, for_unit_id=None):
    """The page's "what you must do now" for `user`: `route` is the document's deliveries, `handlings` the
    work on it the user sees, `entries` its register entries. `for_unit_id` is the unit whose copy the user
    chose to act for; by default the unit of their newest open step, else the unit they would send from."""
    must, may = [], []
    for delivery in route:
        if delivery.status in WAITING and permissions.may_receive(user, delivery):
            must.append(Offer("register", delivery=delivery))
            may.append(Offer("return", delivery=delivery))
    steps = [(handling, step) for handling in handlings
             if (step := handling_queries.open_task(handling)) is not None
             and handling_queries.step_actions(step)
             and permissions.may_take_step(user, handling)]
    senders = permissions.sending_unit_ids(user, document)
    units = _units_to_act_for([handling.unit for handling, _ in steps], senders)
    unit = next((u for u in units if u.id == for_unit_id), units[0] if units else None)
    task = None
    for handling, step in steps:
        if handling.unit_id != unit.id:
            continue  # another unit's copy: the page acts for it when the user chooses that unit
        offers = [Offer(SEND if name == FORWARD and unit.id in senders else name, handling=handling)
                  for name in handling_queries.step_actions(step)]
        must.append(offers[0])
        may.extend(offers[1:])
        task = task or step
    send_from = unit.id if unit is not None and unit.id in senders else next(iter(senders), None)
    if send_from is not None and not any(offer.action == SEND for offer in must + may):
        offer = Offer(SEND, unit=next(u for u in units if u.id == send_from))
        (must if is_draft else may).append(offer)  # a draft's writer is there to send it
    if permissions.may_propose_outgoing(user, document) and handling_queries.may_propose_outgoing(document):
        (must if is_draft and not must else may).append(Offer("propose-outgoing"))
    may.extend(_document_actions(user, document, entries, is_draft, may_take_send_number))
    return ToDo(must[0] if must else None, tuple(must[1:] + may), task, unit,
                tuple(units) if len(units) > 1 else (), frozenset(handling.unit_id for handling, _ in steps))


def _units_to_act_for(step_units, sender_ids):
    """The units whose copy the user may act for: those with a step of theirs open (newest first), then the
    others they may send the letter from (the owning unit first)."""
    units = {unit.id: unit for unit in step_units}
    for unit_id in sender_ids:
        units.setdefault(unit_id, None)
    return [unit or db.session.get(Unit, unit_id) for unit_id, unit in units.items()]


def _document_actions(user, document, entries, is_draft, may_take_send_number):
    if may_take_send_number and permissions.may_issue_send_number(user, document):
        yield Offer("send-number")
    if permissions.may_change_due_date(user, document):
        yield Offer("due-date")
    for entry in entries:
        if not entry.is_cancelled and permissions.may_cancel_entry(user, entry):
            yield Offer("cancel-number", entry=entry)
    if is_draft and permissions.may_delete_draft(user, document):
        yield Offer("delete")
