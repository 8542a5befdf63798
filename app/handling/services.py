"""Work on a document inside a unit (flow 2, `bpmn/handling.bpmn`) and the sign-off of an outgoing letter
(flow 3, `bpmn/outgoing.bpmn`).

Every step locks the handling row, checks that the actor may take the open step, lets the engine move the
flow on (an unknown or stale step is refused by it), then records the business state, a note and an audit
event. Whom a step is given to (operator, reviewer) is kept in our task rows and columns, not in the flow.
"""
from sqlalchemy import select

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.documents import services as documents
from app.documents import permissions
from app.documents.models import DocumentOperator
from app.extensions import db
from app.handling import queries
from app.handling.models import Handling, HandlingKind, HandlingNote, HandlingStatus, NoteKind
from app.letters import queries as letter_queries
from app.letters import signatures as letter_signatures
from app.notifications.models import Event
from app.notifications.services import notify
from app.org.models import Role, User
from app.org.queries import signing_chain, subtree_ids
from app.registry import queries as registry_queries
from app.registry.models import Direction
from app.routing import queries as routing_queries
from app.routing import services as routing
from app.workflow import engine
from app.workflow.errors import WorkflowError
from app.workflow.models import WorkflowInstance
from app.workflow.steps import StepKind

INCOMING_FLOW, OUTGOING_FLOW = "handling", "outgoing"
# Steps are found by their kind, whatever a diagram calls the task (app/workflow/steps.py).
TRIAGE, INSTRUCT, WORK, FINISH = StepKind.ROUTE, StepKind.INSTRUCT, StepKind.WORK, StepKind.FINISH
SIGN_OFF, REVISE, COSIGN = StepKind.REVIEW, StepKind.REVISE, StepKind.COSIGN
ROUTING_STEPS = (TRIAGE, INSTRUCT, FINISH)  # where the unit decides: assign, close or forward


# --- how a document comes to be worked on -------------------------------------------------------------

def register_delivery(actor, delivery):
    """The receiving clerk registers a delivery (R15) and the unit's work on it begins."""
    entry = routing.register(actor, delivery)
    start_incoming(actor, document=delivery.document, unit=delivery.to_unit, delivery=delivery)
    return entry


def receive_paper_letter(actor, *, unit, details, at=None):
    """A letter by post or by hand: registered with the next receive number, then worked on like any other."""
    document, entry = documents.register_paper_letter(actor, unit=unit, details=details, at=at)
    start_incoming(actor, document=document, unit=unit)
    return document, entry


def start_incoming(actor, *, document, unit, delivery=None):
    """Flow 2 for a registered letter; a re-receipt (R16) while the unit still works on it starts nothing."""
    existing = queries.open_handling(document, unit)
    if existing is not None:
        return existing
    handling = _new_handling(actor, HandlingKind.INCOMING, document, unit, HandlingStatus.NEW, delivery)
    _start_flow(handling, INCOMING_FLOW)
    audit.record(actor, "handling.start", "document", document.id, handling=handling.id, unit=unit.code)
    return handling


def propose_outgoing(actor, document, *, unit, reviewer, text=""):
    """Flow 3: the owning unit proposes its prepared letter up the chain for signature."""
    if document.deleted_at is not None:
        raise BusinessRuleError(_l("This document has been deleted."))
    if (document.owner_unit_id != unit.id or actor.user is None
            or not permissions.may_propose_outgoing(actor.user, document)):
        raise BusinessRuleError(_l("Only the unit that owns a document proposes it for signature."))
    if registry_queries.holds_number(document) and not letter_queries.awaits_correction_signature(document):
        raise BusinessRuleError(_l("This document already holds a register number; it cannot be proposed "
                                   "as a new outgoing letter."))
    if queries.open_handling(document, unit) is not None:
        raise BusinessRuleError(_l("This document is already being worked on in your unit."))
    _check_reviewer(reviewer, actor, unit)
    handling = _new_handling(actor, HandlingKind.OUTGOING, document, unit, HandlingStatus.AWAITING_SIGNATURE)
    instance = _start_flow(handling, OUTGOING_FLOW)
    engine.assign_step(instance, SIGN_OFF, reviewer.id)
    handling.proposed_by_id, handling.reviewer_id = actor.user_id, reviewer.id
    _note(actor, handling, NoteKind.PROPOSAL, text, to_user=reviewer)
    notify(Event.SIGN_REQUEST, [reviewer], document=document, from_unit=unit, text=text)
    audit.record(actor, "handling.propose", "document", document.id, handling=handling.id, to=reviewer.id)
    return handling


# --- the unit routes it: clerk at triage and finish, manager at instruct --------------------------------

def to_manager(actor, handling, *, manager=None, note=""):
    """เสนอผู้บริหาร for instructions: to one manager, or to whichever manager of the unit takes it."""
    if manager is not None:
        _check_reviewer(manager, actor, handling.unit)
    handling = _step(actor, handling, TRIAGE, "to_manager")
    if manager is not None:
        engine.assign_step(_instance(handling), INSTRUCT, manager.id)
    handling.status = HandlingStatus.WITH_MANAGER
    _note(actor, handling, NoteKind.NOTE, note, to_user=manager)
    notify(Event.INSTRUCTION, [manager] if manager else queries.unit_managers(handling.unit),
           document=handling.document, from_unit=handling.unit, text=note)
    audit.record(actor, "handling.to_manager", "document", handling.document_id, handling=handling.id,
                 to=manager.id if manager else None)
    return handling


def assign(actor, handling, *, operator, instruction=""):
    """Give the work to an operator; a manager's instruction (เกษียน) is required at the manager's step."""
    instruction = (instruction or "").strip()
    at = _open_step(handling, ROUTING_STEPS)
    if at == INSTRUCT and not instruction:
        raise BusinessRuleError(_l("Write your instruction before assigning the work."))
    _check_operator(operator, handling.unit)
    handling = _step(actor, handling, at, "assign")
    engine.assign_step(_instance(handling), WORK, operator.id)
    handling.status, handling.responsible_id = HandlingStatus.IN_PROGRESS, operator.id
    _grant_operator(actor, handling, operator)
    _note(actor, handling, NoteKind.INSTRUCTION if instruction else NoteKind.ASSIGNMENT, instruction,
          to_user=operator, always=True)
    notify(Event.ASSIGNMENT, [operator], document=handling.document, from_unit=handling.unit, text=instruction)
    audit.record(actor, "handling.assign", "document", handling.document_id, handling=handling.id,
                 to=operator.id, instruction=instruction)
    return handling


def close(actor, handling, note=""):
    """R20: ปิดงาน. Only a registered letter is worked on, so only a registered one can be closed."""
    at = _open_step(handling, ROUTING_STEPS)
    if not registry_queries.holds_number(handling.document, Direction.RECEIVE):
        raise BusinessRuleError(_l("Only a registered document can be closed."))
    handling = _step(actor, handling, at, "close")
    _finish(actor, handling, HandlingStatus.CLOSED)
    _note(actor, handling, NoteKind.CLOSE, note, always=True)
    audit.record(actor, "handling.close", "document", handling.document_id, handling=handling.id,
                 note=(note or "").strip())
    return handling


def forward(actor, handling, *, to_units, note=""):
    """Pass it on to other units: each gets its own delivery (flow 1), linked to the one it came by."""
    at = _open_step(handling, ROUTING_STEPS)
    handling = _step(actor, handling, at, "forward")
    deliveries = routing.send(actor, handling.document, from_unit=handling.unit, to_units=to_units, note=note)
    for delivery in deliveries:
        delivery.parent_id = handling.delivery_id
    _finish(actor, handling, HandlingStatus.FORWARDED)
    _note(actor, handling, NoteKind.FORWARD, note, always=True)
    audit.record(actor, "handling.forward", "document", handling.document_id, handling=handling.id,
                 to=[unit.code for unit in to_units if unit is not None])
    return deliveries


def send_on(actor, document, *, from_unit, to_units, note=""):
    """The one way a unit sends a letter on (issue 14 item 3). When the unit's work on it waits at a step the
    actor may take (triage, the manager's instructions, finish), sending is that step's forward and ends
    it, so a sent letter leaves their work; otherwise (a draft, a copy while someone else works on it) it is
    a plain delivery."""
    handling = queries.open_handling(document, from_unit)
    task = queries.open_task(handling) if handling is not None else None
    if (task is not None and task.kind in ROUTING_STEPS and actor.user is not None
            and queries.may_act(actor.user, task)):
        return forward(actor, handling, to_units=to_units, note=note)
    return routing.send(actor, document, from_unit=from_unit, to_units=to_units, note=note)


# --- the operator at work -------------------------------------------------------------------------------

def report_progress(actor, handling, *, text, percent_done=None):
    """R28: progress is written on the document without moving the flow."""
    text = (text or "").strip()
    if not text:
        raise BusinessRuleError(_l("Write what has been done."))
    if percent_done is not None and not 0 <= percent_done <= 100:
        raise BusinessRuleError(_l("Progress is a percentage from 0 to 100."))
    handling = _locked(handling)
    _check_may_act(actor, handling, (WORK, REVISE))
    note = _note(actor, handling, NoteKind.PROGRESS, text, always=True)
    note.percent_done = percent_done
    audit.record(actor, "handling.progress", "document", handling.document_id, handling=handling.id,
                 text=text, percent=percent_done)
    return note


def propose(actor, handling, *, reviewer, text=""):
    """เสนอ: the operator sends the work up the chain for endorsement and signature."""
    handling = _send_up(actor, handling, WORK, "propose", reviewer, NoteKind.PROPOSAL, text)
    handling.proposed_by_id = actor.user_id
    return handling


def finish_work(actor, handling, text=""):
    """The work is done and needs no signature: back to the clerk to close or pass on."""
    handling = _step(actor, handling, WORK, "done")
    handling.status = HandlingStatus.DONE
    _note(actor, handling, NoteKind.PROGRESS, text or str(_l("Work finished.")), always=True).percent_done = 100
    audit.record(actor, "handling.done", "document", handling.document_id, handling=handling.id)
    return handling


def resubmit(actor, handling, *, reviewer, text=""):
    """Outgoing: after a send-back, the proposer corrects it and proposes it again."""
    return _send_up(actor, handling, REVISE, "resubmit", reviewer, NoteKind.PROPOSAL, text)


def withdraw(actor, handling, text=""):
    handling = _step(actor, handling, REVISE, "withdraw")
    _finish(actor, handling, HandlingStatus.WITHDRAWN)
    _note(actor, handling, NoteKind.WITHDRAWAL, text, always=True)
    audit.record(actor, "handling.withdraw", "document", handling.document_id, handling=handling.id)
    return handling


# --- the managers in the chain ----------------------------------------------------------------------------

def endorse(actor, handling, *, next_reviewer, comment=""):
    """เห็นควร: passed up to the next manager of the chain."""
    return _send_up(actor, handling, SIGN_OFF, "endorse", next_reviewer, NoteKind.ENDORSEMENT, comment)


def sign(actor, handling, comment="", *, pin=None, seen_revision=None):
    """ลงนาม. An incoming letter goes back to the clerk to close or pass on; an outgoing one takes its
    send number (R17) and leaves for its recipients at once, or once its co-signers have signed. A letter
    written in the system (app/letters) is signed with the signer's PIN, on the revision they read
    (`seen_revision`)."""
    letter = letter_queries.letter_of(handling.document) if handling.kind == HandlingKind.OUTGOING else None
    cosigners = letter.current.cosigner_ids if letter is not None else []
    if cosigners and not engine.has_step(_instance(handling), COSIGN):
        raise BusinessRuleError(_l("The flow this proposal runs on has no co-signing step (it was started "
                                   "before letters had co-signers, or its flow has none): withdraw it and propose "
                                   "the letter again, or take the co-signers off the letter."))
    handling = _step(actor, handling, SIGN_OFF, "sign", cosigners_left=len(cosigners))
    handling.signed_by_id, handling.signed_at, handling.reviewer_id = actor.user_id, utcnow(), None
    _note(actor, handling, NoteKind.SIGNATURE, comment, always=True)
    audit.record(actor, "handling.sign", "document", handling.document_id, handling=handling.id,
                 comment=(comment or "").strip())
    if handling.kind != HandlingKind.OUTGOING:
        handling.status = HandlingStatus.SIGNED
        return handling
    if letter is not None:
        letter_signatures.sign_letter(actor, letter, unit=handling.unit, pin=pin, seen_revision=seen_revision)
    if cosigners:
        _to_next_cosigner(handling, letter)
    else:
        _dispatch(actor, handling)
    return handling


def cosign(actor, handling, comment="", *, pin=None):
    """ลงนามร่วม: the co-signer whose turn it is signs the signed letter with their PIN; after the last one
    the letter leaves for its recipients."""
    letter = letter_queries.letter_of(handling.document)
    left = len(letter.current.pending_cosigner_ids) - 1 if letter is not None else 0
    handling = _step(actor, handling, COSIGN, "cosign", cosigners_left=max(left, 0))
    letter_signatures.cosign_letter(actor, letter, unit=handling.unit, pin=pin)
    _note(actor, handling, NoteKind.COSIGNATURE, comment, always=True)
    audit.record(actor, "handling.cosign", "document", handling.document_id, handling=handling.id,
                 comment=(comment or "").strip())
    if left > 0:
        _to_next_cosigner(handling, letter)
    else:
        _dispatch(actor, handling)
    return handling


def decline_cosign(actor, handling, comment):
    """A co-signer will not sign it as it is: back to the proposer, with the reason. The signed revision
    has not left, so the proposer corrects it (a new revision, signed again) or withdraws it."""
    comment = (comment or "").strip()
    if not comment:
        raise BusinessRuleError(_l("Say why you do not co-sign it."))
    handling = _step(actor, handling, COSIGN, "decline")
    engine.assign_step(_instance(handling), REVISE, handling.proposed_by_id)
    handling.status, handling.reviewer_id = HandlingStatus.SENT_BACK, None
    note = _note(actor, handling, NoteKind.SENT_BACK, comment, always=True)
    note.to_user_id = handling.proposed_by_id
    notify(Event.SENT_BACK, [db.session.get(User, handling.proposed_by_id)], document=handling.document,
           from_unit=handling.unit, text=comment)
    audit.record(actor, "handling.decline_cosign", "document", handling.document_id, handling=handling.id,
                 comment=comment)
    return handling


def _to_next_cosigner(handling, letter):
    next_cosigner = db.session.get(User, letter.current.pending_cosigner_ids[0])
    engine.assign_step(_instance(handling), COSIGN, next_cosigner.id)
    handling.status, handling.reviewer_id = HandlingStatus.AWAITING_COSIGNATURE, next_cosigner.id
    notify(Event.SIGN_REQUEST, [next_cosigner], document=handling.document, from_unit=handling.unit,
           text=str(_l("Your co-signature is awaited.")))


def send_back(actor, handling, comment):
    """ส่งกลับแก้ไข, with the reason: to the operator (incoming) or the proposer (outgoing)."""
    comment = (comment or "").strip()
    if not comment:
        raise BusinessRuleError(_l("Say what needs to change."))
    handling = _step(actor, handling, SIGN_OFF, "send_back")
    back_to = handling.responsible_id if handling.kind == HandlingKind.INCOMING else handling.proposed_by_id
    engine.assign_step(_instance(handling), WORK if handling.kind == HandlingKind.INCOMING else REVISE, back_to)
    handling.status, handling.reviewer_id = HandlingStatus.SENT_BACK, None
    note = _note(actor, handling, NoteKind.SENT_BACK, comment, always=True)
    note.to_user_id = back_to
    notify(Event.SENT_BACK, [db.session.get(User, back_to)], document=handling.document, from_unit=handling.unit,
           text=comment)
    audit.record(actor, "handling.send_back", "document", handling.document_id, handling=handling.id,
                 comment=comment)
    return handling


# --- internals --------------------------------------------------------------------------------------------

def _new_handling(actor, kind, document, unit, status, delivery=None):
    handling = Handling(kind=kind, document_id=document.id, unit_id=unit.id, status=status,
                        delivery_id=delivery.id if delivery else None, started_by_id=actor.user_id)
    db.session.add(handling)
    db.session.flush()
    return handling


def _start_flow(handling, flow):
    """`flow` is the stage (INCOMING_FLOW or OUTGOING_FLOW); the document's type names the flow that runs
    it (the shipped one by default)."""
    document_type = handling.document.type
    if document_type is not None:
        flow = document_type.handling_flow if flow == INCOMING_FLOW else document_type.outgoing_flow
    instance = engine.start(flow, subject_type="handling", subject_id=handling.id, unit_id=handling.unit_id,
                            data=engine.document_data(handling.document))
    handling.workflow_instance_id = instance.id
    return instance


def _step(actor, handling, task_name, decision, **data):
    """Lock, check the actor may take `task_name` now, and complete it with `decision` (and `data`, what
    the flow's conditions read besides)."""
    handling = _locked(handling)
    task = _check_may_act(actor, handling, (task_name,))
    try:
        engine.complete_step(_instance(handling), task, user_id=actor.user_id,
                             data={"decision": decision, **data})
    except WorkflowError:
        raise BusinessRuleError(_l("This step has already been taken; reload the page.")) from None
    return handling


def _open_step(handling, allowed):
    task = queries.open_task(handling)
    if task is None or task.kind not in allowed:
        raise BusinessRuleError(_l("This step has already been taken; reload the page."))
    return task.kind


def _check_may_act(actor, handling, task_names):
    if handling.is_finished:
        raise BusinessRuleError(_l("Work on this document in this unit has finished."))
    task = queries.open_task(handling)
    if task is None or task.kind not in task_names:
        raise BusinessRuleError(_l("This step has already been taken; reload the page."))
    if actor.user is None or not queries.may_act(actor.user, task):
        raise BusinessRuleError(_l("This step is not yours to take."))
    return task


def _locked(handling):
    return db.session.scalars(select(Handling).where(Handling.id == handling.id).with_for_update()
                              .execution_options(populate_existing=True)).one()


def _instance(handling):
    return db.session.get(WorkflowInstance, handling.workflow_instance_id)


def _send_up(actor, handling, task_name, decision, reviewer, kind, text):
    """Complete `task_name` and give the signing step to `reviewer` (propose, propose again, endorse)."""
    _check_reviewer(reviewer, actor, handling.unit)
    handling = _step(actor, handling, task_name, decision)
    engine.assign_step(_instance(handling), SIGN_OFF, reviewer.id)
    handling.status, handling.reviewer_id = HandlingStatus.AWAITING_SIGNATURE, reviewer.id
    _note(actor, handling, kind, text, to_user=reviewer, always=True)
    notify(Event.SIGN_REQUEST, [reviewer], document=handling.document, from_unit=handling.unit, text=text)
    audit.record(actor, "handling.endorse" if kind == NoteKind.ENDORSEMENT else "handling.propose", "document",
                 handling.document_id, handling=handling.id, to=reviewer.id, text=(text or "").strip())
    return handling


def _finish(actor, handling, status):
    handling.status, handling.finished_at, handling.finished_by_id = status, utcnow(), actor.user_id
    handling.reviewer_id = None


def _dispatch(actor, handling):
    """After signature: the send number, then one delivery per unit of ours; outside organisations are
    recorded with how the letter goes to them (R17)."""
    document = handling.document
    if not registry_queries.holds_number(document, Direction.SEND):
        documents.take_send_number(actor, document)
    units = [recipient.unit for recipient in document.recipients if recipient.unit is not None]
    outside = [recipient.name_text for recipient in document.recipients if recipient.unit_id is None]
    note = ""
    if document.first_sent_at is not None:  # a signed correction goes to those who had the letter
        waiting = routing_queries.units_waiting_for(document)
        units = [unit for unit in units if unit.id not in waiting]
        note = letter_queries.correction_note(document)
    if units:
        routing.deliver(actor, document, from_unit=handling.unit, to_units=units, note=note)
    if outside:
        method = document.delivery_method.name_th if document.delivery_method else ""
        audit.record(actor, "document.dispatch", "document", document.id, to=outside, method=method)
    document.first_sent_at = document.first_sent_at or utcnow()
    _finish(actor, handling, HandlingStatus.DISPATCHED)


def _note(actor, handling, kind, text, *, to_user=None, always=False):
    text = (text or "").strip()
    if not text and not always:
        return None
    # through the relationship: the backref adds it to `handling.notes` without loading the notes first
    note = HandlingNote(handling=handling, kind=kind, text=text, author_id=actor.user_id,
                        acting_for_id=actor.acting_for.id if actor.acting_for else None,
                        to_user_id=to_user.id if to_user else None)
    db.session.add(note)
    db.session.flush()
    return note


def _check_operator(operator, unit):
    if operator is None or not operator.is_active or operator.unit_id not in subtree_ids(unit):
        raise BusinessRuleError(_l("Choose an active person of the unit to do the work."))


def _check_reviewer(reviewer, actor, unit):
    """A manager of the unit or of a unit inside it, or one up its signing chain; not the actor."""
    if reviewer is None or not reviewer.is_active or Role.MANAGER not in {held.role for held in reviewer.roles}:
        raise BusinessRuleError(_l("Choose the manager to propose it to."))
    if reviewer.id == actor.user_id:
        raise BusinessRuleError(_l("Propose it to another manager, not to yourself."))
    if reviewer.unit_id not in subtree_ids(unit) and reviewer not in signing_chain(unit):
        raise BusinessRuleError(_l("%(name)s is not in the signing chain of %(unit)s.",
                                   name=reviewer.full_name_th, unit=unit.name_th))


def _grant_operator(actor, handling, operator):
    """Assigned operators may read the document even when it is classified."""
    exists = db.session.scalar(select(DocumentOperator.id).where(
        DocumentOperator.document_id == handling.document_id, DocumentOperator.user_id == operator.id))
    if exists is None:
        db.session.add(DocumentOperator(document_id=handling.document_id, user_id=operator.id,
                                        assigned_by_id=actor.user_id))
