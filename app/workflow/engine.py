"""Running flows: the only place the rest of the app drives SpiffWorkflow from.

Every function loads the instance's state with the cached spec of its own version, acts, saves the state
and mirrors the human tasks, and only flushes: the caller commits, having locked its business row.
"""
import logging
from contextlib import contextmanager

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from app.core.models import utcnow
from app.extensions import db
from app.workflow import definitions, state, tasks
from app.workflow.errors import WorkflowError
from app.workflow.expressions import SCRIPT_ENGINE, ExpressionError
from app.workflow.models import WorkflowInstance, WorkflowTask

# SpiffWorkflow logs every task state change at INFO, several lines per click with no useful context; our
# own audit trail records what happened.
logging.getLogger("spiff").setLevel(logging.WARNING)

_TIMERS = ("TimeDateEventDefinition", "DurationTimerEventDefinition", "CycleTimerEventDefinition")


def document_data(document):
    """What a flow about `document` may read in its conditions (validation.KNOWN_VARIABLES besides the
    steps' own): its id, speed, secrecy, type code and due date (ISO, so dates compare as text)."""
    return {"document_id": document.id, "speed": document.speed, "secrecy": document.secrecy,
            "document_type": document.type.code if document.type is not None else "",
            "due_date": document.due_date.isoformat() if document.due_date else ""}


def start(key, *, subject_type, subject_id, unit_id, data=None):
    definition = definitions.current(key)
    workflow = BpmnWorkflow(*definitions.spec_for(definition), script_engine=SCRIPT_ENGINE)
    workflow.data.update(data or {})
    workflow.task_tree.data.update(data or {})  # the start data flows into every task's data
    with _engine_errors():
        workflow.do_engine_steps()
    instance = WorkflowInstance(definition=definition, subject_type=subject_type, subject_id=subject_id,
                                unit_id=unit_id, status="running")
    db.session.add(instance)
    _save(instance, workflow)
    return instance


def complete(instance, spec_name, *, user_id, data=None):
    """Complete the ready task `spec_name` (a diagram's task id: the scenario tests speak in ids)."""
    return _complete(instance, lambda task: task.task_spec.bpmn_id == spec_name, spec_name, user_id, data)


def complete_step(instance, row, *, user_id, data=None):
    """Complete the ready task of the task row `row` (found by its step kind, whatever its id)."""
    return _complete(instance, lambda task: str(task.id) == row.task_guid, row.spec_name, user_id, data)


def _complete(instance, is_it, name, user_id, data):
    workflow = _load(instance, for_update=True)
    task = next((task for task in workflow.get_tasks(state=TaskState.READY, manual=True) if is_it(task)), None)
    if task is None:
        raise WorkflowError(f"no ready task {name!r} in workflow instance {instance.id}")
    with _engine_errors():
        task.set_data(**(data or {}))
        task.run()
        workflow.do_engine_steps()
    rows = _save(instance, workflow, completed_by={str(task.id): user_id})
    return rows[str(task.id)]


def send_message(instance, message_name, data=None):
    workflow = _load(instance, for_update=True)
    if not _waiting_for(workflow, message_name):
        return False
    with _engine_errors():
        workflow.send_event(BpmnEvent(MessageEventDefinition(message_name), dict(data or {})))
        workflow.do_engine_steps()
    _save(instance, workflow)
    return True


def assign(instance, spec_name, user_id):
    """Give the open task `spec_name` to one person: business state in our rows, the workflow is unchanged."""
    return _assign(instance, [row for row in instance.tasks if row.state == tasks.READY
                              and row.spec_name == spec_name], spec_name, user_id)


def assign_step(instance, kind, user_id):
    """Give the open step of `kind` (app/workflow/steps.py) to one person."""
    return _assign(instance, open_steps(instance, kind), kind, user_id)


def open_steps(instance, kind):
    return [row for row in instance.tasks if row.state == tasks.READY and row.kind == kind]


def _assign(instance, rows, name, user_id):
    if not rows:
        raise WorkflowError(f"no open task {name!r} in workflow instance {instance.id}")
    for row in rows:
        row.assignee_id = user_id
    db.session.flush()
    return rows


def waiting_for_message(instance, message_name):
    return _waiting_for(_load(instance), message_name)


def has_step(instance, kind):
    """The version the instance runs on has a step of `kind` (one published before the kind existed
    has not)."""
    return any(step.kind == kind for step in definitions.steps_for(instance.definition).values())


def ready_task_names(instance):
    return {task.task_spec.bpmn_id for task in _load(instance).get_tasks(state=TaskState.READY, manual=True)}


def outcome(instance):
    """The id of the end event the instance finished at; None while it runs."""
    if instance.status != "completed":
        return None
    workflow = _load(instance)
    ends = [task for task in workflow.get_tasks(state=TaskState.COMPLETED, skip_subprocesses=True)
            if isinstance(task.task_spec, EndEvent) and task.workflow is workflow]
    return max(ends, key=lambda task: task.last_state_change).task_spec.bpmn_id if ends else None


def refresh_timers(instance):
    workflow = _load(instance, for_update=True)
    with _engine_errors():
        workflow.refresh_timers()
        workflow.do_engine_steps()
    _save(instance, workflow)


def load(instance, *, for_update=False):
    """The instance's workflow on the spec of its version; `for_update` locks it and its task rows first."""
    return _load(instance, for_update)


def save(instance, workflow):
    """Store `workflow` as the instance's state, on the spec of `instance.definition` (a move to another
    version sets it first), and mirror its human tasks."""
    return _save(instance, workflow)


def _load(instance, for_update=False):
    if for_update:
        _lock(instance)
    spec, subprocess_specs = definitions.spec_for(instance.definition)
    return state.loads(instance.state, spec, subprocess_specs)


def _lock(instance):
    # Under REPEATABLE READ a plain read, even after the caller's lock, may see the flow as it was when the
    # transaction began; only locking reads see the latest. They come after the caller's lock: no deadlock.
    db.session.refresh(instance, with_for_update=True)
    rows = db.session.scalars(select(WorkflowTask).where(WorkflowTask.instance_id == instance.id)
                              .order_by(WorkflowTask.id).with_for_update()
                              .execution_options(populate_existing=True)).all()
    set_committed_value(instance, "tasks", rows)


def _save(instance, workflow, completed_by=None):
    instance.state = state.dumps(workflow)
    instance.status = "completed" if workflow.completed else "running"
    instance.next_timer_at = _next_timer(workflow)
    instance.updated_at = utcnow()
    rows = tasks.sync(instance, workflow, completed_by)
    db.session.flush()
    return rows


def _waiting_for(workflow, message_name):
    return any(event.event_type == "MessageEventDefinition" and event.name == message_name
               for event in workflow.waiting_events())


def _next_timer(workflow):
    due = [_timer_due(event.value) for event in workflow.waiting_events() if event.event_type in _TIMERS]
    due = [moment for moment in due if moment is not None]
    return min(due) if due else None


def _timer_due(value):
    """When a waiting timer fires, as naive UTC like every stored time (None if not computed yet)."""
    if isinstance(value, dict):
        value = value.get("next") if value.get("cycles") != 0 else None
    if not isinstance(value, str):
        return None
    return TimerEventDefinition.get_datetime(value).replace(tzinfo=None)  # get_datetime gives UTC


@contextmanager
def _engine_errors():
    try:
        yield
    except (SpiffWorkflowException, ExpressionError) as error:
        cause = error.__cause__ or error.__context__  # SpiffWorkflow's message leaves out the reason
        raise WorkflowError(f"{error} {cause or ''}".strip()) from error
