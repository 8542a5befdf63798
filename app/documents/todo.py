"""Reads: what a user must do now with a document, for the top of its page (issue 14 item 3).

One primary action (the step waiting for this user), and the other actions they may take. Every offer is
decided by a rule of app.documents.permissions (a handling's step through `may_take_step`, which is
handling.queries.may_act); this module only orders them.
"""
from dataclasses import dataclass

from app.core.messages import lazy_gettext as _l
from app.documents import permissions
from app.handling import queries as handling_queries
from app.handling.models import Handling
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


def to_do(user, document, *, route, handlings, entries, is_draft, may_take_send_number):
    """The page's "what you must do now" for `user`: `route` is the document's deliveries, `handlings` the
    work on it the user sees, `entries` its register entries."""
    must, may, task = [], [], None
    for delivery in route:
        if delivery.status in WAITING and permissions.may_receive(user, delivery):
            must.append(Offer("register", delivery=delivery))
            may.append(Offer("return", delivery=delivery))
    may_send = permissions.sending_unit_id(user, document) is not None
    for handling in handlings:
        step = handling_queries.open_task(handling)
        if step is None or not permissions.may_take_step(user, handling):
            continue
        offers = [Offer(SEND if name == FORWARD and may_send else name, handling=handling)
                  for name in handling_queries.STEP_ACTIONS.get(step.spec_name, ())]
        if offers:
            must.append(offers[0])
            may.extend(offers[1:])
            task = task or step
    if may_send and not any(offer.action == SEND for offer in must + may):
        (must if is_draft else may).append(Offer(SEND))  # a draft's writer is there to send it
    if permissions.may_propose_outgoing(user, document) and handling_queries.may_propose_outgoing(document):
        (must if is_draft and not must else may).append(Offer("propose-outgoing"))
    may.extend(_document_actions(user, document, entries, is_draft, may_take_send_number))
    return ToDo(must[0] if must else None, tuple(must[1:] + may), task)


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
