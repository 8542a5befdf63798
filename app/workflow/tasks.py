"""The human tasks of a workflow mirrored into `workflow_task` rows, so task lists never load workflows."""
from SpiffWorkflow.util.task import TaskState

from app.core.models import utcnow
from app.workflow import definitions
from app.workflow.models import WorkflowTask

READY, COMPLETED, CANCELLED = "ready", "completed", "cancelled"


def sync(instance, workflow, completed_by=None):
    """Add rows for new ready human tasks and close rows whose task is done or gone.

    `completed_by` maps the guid of a task a person just completed to their user id.
    """
    completed_by = completed_by or {}
    rows = {row.task_guid: row for row in instance.tasks}
    manual = {str(task.id): task for task in workflow.get_tasks(manual=True)}
    for guid, task in manual.items():
        if guid not in rows and (task.has_state(TaskState.READY) or guid in completed_by):
            rows[guid] = _new_row(instance, workflow, task)
            instance.tasks.append(rows[guid])
    now = utcnow()
    for guid, row in rows.items():
        task = manual.get(guid)
        if row.state != READY or (task is not None and task.has_state(TaskState.READY)):
            continue
        row.completed_at = now
        if task is not None and task.has_state(TaskState.COMPLETED):
            row.state, row.completed_by_id = COMPLETED, completed_by.get(guid)
        else:
            row.state = CANCELLED
    return rows


def refresh_ready(instance, workflow):
    """After a move to another version: each open row takes its step's id, kind, title and lane from the
    version the instance is now on; who it was given to stays."""
    ready = {str(task.id): task for task in workflow.get_tasks(state=TaskState.READY, manual=True)}
    for row in instance.tasks:
        task = ready.get(row.task_guid)
        if row.state == READY and task is not None:
            for name, value in _step_fields(instance, task).items():
                setattr(row, name, value)


def _new_row(instance, workflow, task):
    return WorkflowTask(task_guid=str(task.id), **_step_fields(instance, task), unit_id=instance.unit_id,
                        document_id=workflow.data.get("document_id"),
                        speed=workflow.data.get("speed") or "normal", state=READY)


def _step_fields(instance, task):
    spec = task.task_spec
    step = definitions.steps_for(instance.definition).get(spec.bpmn_id)
    return {"spec_name": spec.bpmn_id or spec.name, "kind": step.kind.value if step is not None else "",
            "title": (spec.bpmn_name or spec.bpmn_id or spec.name)[:200], "lane": spec.lane or ""}
