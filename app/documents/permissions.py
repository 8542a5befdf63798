"""Who may do what to a document (R34; issue 12 items 2 and 6): one rule per action.

Each rule below is one function of this module. The pages use it to decide which buttons to show and to
refuse the POST (403 when the user may see the document but not do this, 404 when they may not see it at
all), and the service doing the action checks the same function, so a job or a test calling the service
directly is refused too (`require` raises NotPermitted, a BusinessRuleError: nothing is written). Actors
without a user (`Actor.system`: the CLI, demo loading) act for the organisation and are not checked.

Words used:

- A user *works for* their own unit and, on the days they act for someone (รักษาราชการแทน), for that
  person's unit with that person's roles (`org.queries.effective_roles`). "A clerk of U" means holding the
  clerk role in U that way; likewise a manager of U (the unit itself; managers of units above oversee and
  read, they do not act).
- *Seeing* a document is `access.can_see`; *cleared* is `access.can_see_content`: for a classified
  document (ลับ and above) only the clerks of the units involved, the managers of those units and of units
  above them, the person who wrote it, and the people given a step of it. Every rule needs both.
- A *draft* is a document never sent (`first_sent_at` empty). It belongs to its owning unit: units named
  as its recipients are only addresses, and neither see it nor act on it until it is sent. Its *writers*
  are the person who created it and the clerks and managers of the owning unit.
- The units *holding* a document are its owning unit and every unit that registered it (a receive number
  for it in its register, or a registered delivery). A unit whose copy is only waiting (sent, read) may
  register or return it and nothing else; a unit that returned it keeps seeing it but may not act on it
  any more; a unit whose copy was recalled no longer sees it.

The rules:

- delete a draft (R33): its writers, while it is never sent and holds no number.
- take the outgoing number (R17): the clerks of the owning unit.
- send it to other units (R8): a draft, its writers; a letter already sent or received, the clerks and
  managers of a unit holding it (the owning unit sends again, a registering unit passes it on).
- register it or return it (R15, R19): the clerks of the receiving unit, while the delivery waits there.
- recall a delivery (R18): the clerks and managers of the sending unit, and the person who sent it.
- cancel a register number: the clerks of the unit whose register holds it.
- change the due date (R31): a draft, its writers; otherwise the clerks and managers of a unit holding it.
- attach files (R10): a draft, its writers; otherwise people of a unit holding it (their own unit owns the
  file), and the people given a step of it (an assigned operator, a manager asked to sign).
- replace or delete a file (R10): whoever may attach, and only files their own unit attached.
- propose a prepared letter for signature (flow 3): anyone working for the owning unit (an operator
  prepares letters; proposing changes nothing, the manager decides), while it holds no number and is not
  already being worked on.
- a step of the work inside a unit (flows 2 and 3: assign, forward, close, sign, ...): the person the step
  is given to (or their deputy), else the holders of the step's role in that unit
  (`handling.queries.may_act`). Forwarding is such a step, so only a unit that registered the letter
  forwards it.
- follow a document (R30): whoever sees it.
"""
from sqlalchemy import select

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.documents import access, classified
from app.extensions import db
from app.handling import queries as handling_queries
from app.org.models import Role
from app.org.queries import acting_for_ids, effective_roles
from app.registry.models import Register, RegisterEntry
from app.routing.models import Delivery, DeliveryStatus


class NotPermitted(BusinessRuleError):
    """The actor may not take this action; raised by services, after which nothing is written."""

    def __init__(self, message=None):
        super().__init__(message or _l("You are not allowed to do this with this document."))


def require(allowed, actor=None):
    """Raise NotPermitted unless `allowed`; use as `require(may_x(actor.user, ...), actor)`. A system actor
    (no user) is not checked."""
    if actor is not None and actor.user is None:
        return
    if not allowed:
        raise NotPermitted()


# --- the words of the rules --------------------------------------------------------------------------------

def roles_in(user, unit_id):
    """The roles `user` holds in `unit_id`, their own or borrowed from someone they act for today."""
    if user is None or unit_id is None:
        return set()
    return {held.role for held in effective_roles(user) if held.unit.id == unit_id}


def is_clerk_of(user, unit_id):
    return Role.CLERK in roles_in(user, unit_id)


def is_clerk_or_manager_of(user, unit_id):
    return bool({Role.CLERK, Role.MANAGER} & roles_in(user, unit_id))


def never_sent(document):
    return document.first_sent_at is None


def is_writer(user, document):
    """Who may write for a draft: its creator, and the clerks and managers of its owning unit."""
    return (document.created_by_id is not None and document.created_by_id in acting_for_ids(user)) \
        or is_clerk_or_manager_of(user, document.owner_unit_id)


def holding_unit_ids(document):
    """The owning unit and the units that registered the document (see the module's docstring)."""
    registered = db.session.scalars(select(Delivery.to_unit_id).where(
        Delivery.document_id == document.id, Delivery.status == DeliveryStatus.REGISTERED))
    numbered = db.session.scalars(select(Register.unit_id).join(RegisterEntry).where(
        RegisterEntry.document_id == document.id, RegisterEntry.cancelled_at.is_(None)))
    return {document.owner_unit_id, *registered, *numbered}


def _cleared(user, document):
    return user is not None and document.deleted_at is None and access.can_see_content(user, document)


# --- the rules ---------------------------------------------------------------------------------------------

def may_delete_draft(user, document):
    """Who; whether it may still be deleted (never sent, no number) the service says in words."""
    return _cleared(user, document) and is_writer(user, document)


def may_issue_send_number(user, document):
    return _cleared(user, document) and is_clerk_of(user, document.owner_unit_id)


def may_send_from(user, document, unit_id):
    """Whether `user` may send `document` to other units on behalf of `unit_id`."""
    if not _cleared(user, document):
        return False
    if never_sent(document):
        return unit_id == document.owner_unit_id and is_writer(user, document)
    return unit_id in holding_unit_ids(document) and is_clerk_or_manager_of(user, unit_id)


def sending_unit_ids(user, document):
    """Every unit the user may send `document` for, the owning unit first (a person acting for the clerk of
    another unit may hold it in both)."""
    candidates = [document.owner_unit_id] + sorted(
        (holding_unit_ids(document) - {document.owner_unit_id}) & access.working_unit_ids(user))
    return [unit_id for unit_id in candidates if may_send_from(user, document, unit_id)]


def sending_unit_id(user, document):
    """The unit the user sends `document` for when nothing says which: the owning unit first, else a unit of
    theirs holding it; None when they may not send it at all."""
    return next(iter(sending_unit_ids(user, document)), None)


def may_receive(user, delivery):
    """Register or return a delivery: a clerk of the receiving unit. Whether it still waits there is the
    service's to say, in words ("already registered", "recalled")."""
    return _cleared(user, delivery.document) and is_clerk_of(user, delivery.to_unit_id)


def may_recall(user, delivery):
    """Who may recall; whether it is too late is the engine's to say."""
    return (user is not None and access.can_see(user, delivery.document)
            and delivery.id in recallable(user, [delivery]))


def recallable(user, deliveries):
    """The ids of `deliveries` the user may recall, for a whole list at once (Sent items shows deliveries of
    the user's own units): one query for clearance and one for roles, however long the list."""
    open_documents = [d.document for d in deliveries if d.document.deleted_at is None]
    readable = classified.readable_ids(user, open_documents)
    mine = set(acting_for_ids(user))
    acting_units = {held.unit.id for held in effective_roles(user) if held.role in (Role.CLERK, Role.MANAGER)}
    return {d.id for d in deliveries if d.document_id in readable
            and ((d.sent_by_id is not None and d.sent_by_id in mine) or d.from_unit_id in acting_units)}


def may_cancel_entry(user, entry):
    return _cleared(user, entry.document) and is_clerk_of(user, entry.register.unit_id)


def may_change_due_date(user, document):
    if not _cleared(user, document):
        return False
    if never_sent(document):
        return is_writer(user, document)
    return any(is_clerk_or_manager_of(user, unit_id) for unit_id in holding_unit_ids(document))


def may_attach(user, document, unit_id=None):
    """Attach files for `unit_id` (the user's own unit unless given), which then owns them (R10)."""
    unit_id = user.unit_id if unit_id is None and user is not None else unit_id
    if not _cleared(user, document) or unit_id not in access.working_unit_ids(user):
        return False
    if never_sent(document):
        return is_writer(user, document)
    return unit_id in holding_unit_ids(document) or access.was_given_to(user, document)


def may_change_attachment(user, attachment):
    """Replace or delete a file: whoever may attach, for the unit that attached it."""
    return may_attach(user, attachment.document, attachment.unit_id)


def may_propose_outgoing(user, document):
    """Who; whether the letter may still be proposed (no number, not in progress) the service says."""
    return _cleared(user, document) and document.owner_unit_id in access.working_unit_ids(user)


def may_take_step(user, handling):
    """The open step of a unit's work on a document is the user's to take (see the module's docstring)."""
    return (_cleared(user, handling.document)
            and handling_queries.may_act(user, handling_queries.open_task(handling)))


def may_write_letter(user, document):
    """Write or revise the letter of a document (E-Form): anyone working for its owning unit who may read
    it; whether the letter may still change (not signed, not waiting for a signature) the service says."""
    return _cleared(user, document) and document.owner_unit_id in access.working_unit_ids(user)
