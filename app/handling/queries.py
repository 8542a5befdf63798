"""Reading work in progress: a document's handlings, the open step and who may take it, and the managers'
"awaiting my signature" list (R7 counts it from the same rows). Task lists read task rows only."""
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.handling.models import FINISHED, Handling, HandlingNote
from app.letters import queries as letter_queries
from app.org.models import Role, Unit, User
from app.org.queries import acting_for_ids, effective_roles, signing_chain, subtree_ids
from app.registry.queries import holds_number
from app.routing.queries import SPEED_RANK
from app.workflow import definitions
from app.workflow.models import WorkflowDefinition, WorkflowInstance, WorkflowTask
from app.workflow.steps import StepKind

SIGN_OFF, COSIGN = StepKind.REVIEW, StepKind.COSIGN

# The actions of each kind of open step, the one the step is there for first: the document page offers that
# one and keeps the others behind a menu (issue 14 item 3).
STEP_ACTIONS = {
    StepKind.ROUTE: ("assign", "to-manager", "forward", "close"),
    StepKind.INSTRUCT: ("assign", "forward", "close"),
    StepKind.WORK: ("propose", "progress", "done"),
    StepKind.REVISE: ("resubmit", "progress", "withdraw"),
    StepKind.REVIEW: ("sign", "endorse", "send-back"),
    StepKind.COSIGN: ("cosign", "decline-cosign"),
    StepKind.FINISH: ("close", "forward", "assign"),
}


def open_handling(document, unit):
    """The unfinished handling of `document` in `unit`, if any."""
    return db.session.scalars(select(Handling).where(
        Handling.document_id == document.id, Handling.unit_id == unit.id,
        Handling.status.not_in(FINISHED)).order_by(Handling.id.desc()).limit(1)).first()


def handlings_of(document, user, unit_ids):
    """The handlings of a document in these units or waiting for this user, newest first, with their notes
    and people."""
    people = acting_for_ids(user)
    return db.session.scalars(
        select(Handling).where(Handling.document_id == document.id,
                               or_(Handling.unit_id.in_(unit_ids), Handling.reviewer_id.in_(people),
                                   Handling.responsible_id.in_(people)))
        .options(selectinload(Handling.notes).selectinload(HandlingNote.author),
                 selectinload(Handling.notes).selectinload(HandlingNote.to_user),
                 selectinload(Handling.notes).selectinload(HandlingNote.acting_for),
                 selectinload(Handling.responsible), selectinload(Handling.reviewer), selectinload(Handling.unit))
        .order_by(Handling.id.desc())
    ).all()


def open_task(handling):
    """The step the handling waits at (a `workflow_task` row), or None once finished."""
    if handling.workflow_instance_id is None:
        return None
    return db.session.scalars(select(WorkflowTask).where(
        WorkflowTask.instance_id == handling.workflow_instance_id, WorkflowTask.state == "ready")
        .order_by(WorkflowTask.id.desc()).limit(1)).first()


# The decision each action completes its step with (None: it does not complete the step).
ACTION_DECISIONS = {
    "assign": "assign", "to-manager": "to_manager", "forward": "forward", "close": "close",
    "propose": "propose", "progress": None, "done": "done", "resubmit": "resubmit", "withdraw": "withdraw",
    "sign": "sign", "endorse": "endorse", "send-back": "send_back", "cosign": "cosign", "decline-cosign": "decline",
}


def step_actions(task):
    """The actions of the open step `task`, primary first: those of its kind whose decision the diagram's
    flows out of the task lead somewhere (a review with no send-back path offers no send-back)."""
    step = _step_of(task)
    decisions = step.decisions if step is not None else frozenset()
    return tuple(name for name in STEP_ACTIONS.get(task.kind, ())
                 if ACTION_DECISIONS[name] is None or ACTION_DECISIONS[name] in decisions)


def _step_of(task):
    return definitions.steps_for(task.instance.definition).get(task.spec_name)


def actions_for(user, handling):
    """(open task, the names of the actions `user` may take on it now, primary first)."""
    task = open_task(handling)
    if not may_act(user, task):
        return task, ()
    return task, step_actions(task)


def may_act(user, task):
    """A task given to someone is theirs (and their deputy's); otherwise it belongs to the lane's role holders
    in the unit."""
    if task is None or task.state != "ready":
        return False
    if task.kind == COSIGN:  # a co-signature is the person's own: a deputy does not sign it for them
        return task.assignee_id == user.id
    if task.assignee_id is not None:
        return task.assignee_id in acting_for_ids(user)
    return any(held.role == task.lane and held.unit.id == task.unit_id for held in effective_roles(user))


def awaiting_signature_query(user):
    return select(WorkflowTask).where(WorkflowTask.state == "ready", or_(
        (WorkflowTask.kind == SIGN_OFF) & WorkflowTask.assignee_id.in_(acting_for_ids(user)),
        (WorkflowTask.kind == COSIGN) & (WorkflowTask.assignee_id == user.id)))


def awaiting_signature(user):
    """The proposals waiting for this manager (or the one they act for), most urgent then oldest first, each
    with its handling and document."""
    # each row's step offers what its flow's version allows: the instances and versions in two queries
    tasks = db.session.scalars(awaiting_signature_query(user)
                               .options(selectinload(WorkflowTask.instance).selectinload(WorkflowInstance.definition)
                                        .defer(WorkflowDefinition.bpmn_xml))
                               .order_by(SPEED_RANK.desc(), WorkflowTask.created_at, WorkflowTask.id)).all()
    handlings = {h.workflow_instance_id: h for h in db.session.scalars(
        select(Handling).where(Handling.workflow_instance_id.in_([t.instance_id for t in tasks]))
        .options(selectinload(Handling.document), selectinload(Handling.unit),
                 selectinload(Handling.notes).selectinload(HandlingNote.author)))} if tasks else {}
    return [(task, handlings[task.instance_id]) for task in tasks if task.instance_id in handlings]


def awaiting_signature_count(user):
    return db.session.scalar(select(func.count()).select_from(awaiting_signature_query(user).subquery()))


def handlings_by_instance(instance_ids):
    if not instance_ids:
        return {}
    return {h.workflow_instance_id: h for h in db.session.scalars(
        select(Handling).where(Handling.workflow_instance_id.in_(instance_ids))
        .options(selectinload(Handling.document), selectinload(Handling.unit)))}


def operator_choices(unit):
    """People who can be given the work: the active staff of the unit and of the units below it."""
    units = subtree_ids(unit)
    return db.session.scalars(
        select(User).join(User.unit).where(User.unit_id.in_(units), User.is_active_account.is_(True))
        .order_by(Unit.sort_order, Unit.id, User.full_name_th)).all()


def reviewer_choices(unit, exclude_user_id=None):
    """The managers a proposal may go to, nearest first (the first is the natural next step)."""
    return [user for user in signing_chain(unit) if user.id != exclude_user_id]


def next_reviewer(unit, current_user_id):
    """The manager after `current_user_id` in the unit's chain (None at the top)."""
    chain = signing_chain(unit)
    ids = [user.id for user in chain]
    if current_user_id in ids:
        rest = chain[ids.index(current_user_id) + 1:]
        return rest[0] if rest else None
    return chain[0] if chain else None


def is_clerk_of(user, unit_id):
    return any(held.role == Role.CLERK and held.unit.id == unit_id for held in effective_roles(user))


def unit_managers(unit):
    return [user for user in signing_chain(unit) if user.unit_id == unit.id]


def may_propose_outgoing(document):
    """A prepared letter of ours, not numbered yet (or the correction of a signed one, which keeps its
    number) and not already being worked on in its unit."""
    return (document.deleted_at is None
            and (not holds_number(document) or letter_queries.awaits_correction_signature(document))
            and open_handling(document, document.owner_unit) is None)
