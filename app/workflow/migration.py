"""Moving the documents under way onto another version of their flow (issue 16 item 6).

`plan` is the dry run the admin reads first: for every running instance of the flow that is not on the
target version it says which steps it waits at and whether it can move, and if not, why. "Can move" is
decided by trying: SpiffWorkflow's spec diff aligns the tasks of the two versions (by id, then by where
they sit), `migrate_workflow` puts the instance on the target's spec (open and waiting tasks are reset and
predicted again), and the result must store and load on the target's spec with the same steps open.

`migrate` moves the instances the admin ticked, each in a SAVEPOINT of its own, so one that fails is left
as it was and the others still move; it refuses everything when the report the admin confirmed is no
longer true (its fingerprint), and checks each instance again under its lock. Both only flush.
"""
import hashlib
import logging
from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.extensions import db
from app.workflow import definitions, engine, state, steps, tasks
from app.workflow.models import WorkflowDefinition, WorkflowInstance

log = logging.getLogger(__name__)

RUNNING = "running"
# a task in one of these states is in the instance's history or under way: its spec must exist on the
# target, or the state cannot be loaded there (predicted tasks are dropped and predicted again)
_DEFINITE = TaskState.COMPLETED | TaskState.CANCELLED | TaskState.ERROR
_UNDER_WAY = TaskState.READY | TaskState.WAITING | TaskState.STARTED


@dataclass(frozen=True)
class Entry:
    """One running instance in the report."""
    instance_id: int
    document_id: int | None
    unit_id: int | None
    from_version: int
    steps: tuple    # the titles of the steps it waits at, as its own version names them
    reasons: tuple  # why it cannot move, in words an admin reads (translated when shown); empty: it can
    digest: str     # what the verdict rests on: its version and its state

    @property
    def movable(self):
        return not self.reasons


@dataclass(frozen=True)
class Report:
    key: str
    target: WorkflowDefinition
    target_version: int
    entries: tuple

    @property
    def movable(self):
        return [entry for entry in self.entries if entry.movable]

    @property
    def fingerprint(self):
        return _fingerprint(self.target, [(entry.instance_id, entry.digest) for entry in self.entries])


@dataclass(frozen=True)
class Skipped:
    instance_id: int
    document_id: int | None
    unit_id: int | None
    reason: object


@dataclass(frozen=True)
class Outcome:
    target_version: int
    moved: tuple    # Entry of each instance moved
    skipped: tuple  # Skipped


def plan(key, target_definition):
    """The dry run: every running instance of `key` not on `target_definition`, whether it can move."""
    move = _Move(key, target_definition)
    entries = tuple(_assess(instance, move, engine.load(instance))[0] for instance in _running(key, move.target))
    return Report(key, move.target, move.number, entries)


def migrate(actor, key, target_definition, instance_ids, fingerprint):
    """Move the instances `instance_ids` onto `target_definition` if the report with `fingerprint` is still
    the true one; returns what moved and what was skipped and why."""
    move = _Move(key, target_definition)
    digests = dict(_digests(key, move.target))
    if _fingerprint(move.target, sorted(digests.items())) != fingerprint:
        raise BusinessRuleError(_l("The documents under way changed since the report was made, so nothing was "
                                   "moved. Check the report again and confirm."))
    moved, skipped = [], []
    _begin_before_savepoints()
    for instance_id in sorted(set(instance_ids)):
        instance = db.session.get(WorkflowInstance, instance_id) if instance_id in digests else None
        if instance is None:
            skipped.append(Skipped(instance_id, None, None, _l(
                "It is not a document under way on another version of this flow.")))
            continue
        entry, reason = _move_in_savepoint(instance, move, digests[instance_id])
        if reason is not None:
            skipped.append(Skipped(instance_id, entry.document_id if entry else None, instance.unit_id, reason))
            continue
        moved.append(entry)
    # after the savepoints: the audit trail chains its pending events when a savepoint is released too
    for entry in moved:
        audit.record(actor, "workflow.migrate", "workflow_instance", entry.instance_id, key=key,
                     document=entry.document_id, from_version=entry.from_version, to_version=move.number,
                     to_definition=move.target.id, steps=list(entry.steps))
    return Outcome(move.number, tuple(moved), tuple(skipped))


def running_counts(key):
    """{definition id: how many instances are running on it} for the versions of `key`."""
    return dict(db.session.execute(
        select(WorkflowInstance.definition_id, func.count()).join(WorkflowInstance.definition)
        .where(WorkflowDefinition.key == key, WorkflowInstance.status == RUNNING)
        .group_by(WorkflowInstance.definition_id)).all())


# --- internals --------------------------------------------------------------------------------------------

class _Move:
    """What moving onto `target` needs, worked out once: its spec, steps, the versions' numbers, and the
    spec diff from each version the instances are on."""

    def __init__(self, key, target):
        if target.key != key:
            raise ValueError(f"version {target.id} is not of the flow {key!r}")
        self.key, self.target = key, target
        self.spec, self.subprocess_specs = definitions.spec_for(target)
        self.steps = definitions.steps_for(target)
        self.numbers = {version.id: number for number, version in enumerate(definitions.versions(key), start=1)}
        self.number = self.numbers[target.id]
        self._diffs = {}

    def diff(self, original_spec, new_spec):
        """SpiffWorkflow's alignment of two specs, once per pair of versions (the specs are cached)."""
        pair = (id(original_spec), id(new_spec))
        if pair not in self._diffs:
            self._diffs[pair] = SpecDiff(state.REGISTRY, original_spec, new_spec)
        return self._diffs[pair]


def _running(key, target):
    return db.session.scalars(
        select(WorkflowInstance).join(WorkflowInstance.definition)
        .where(WorkflowDefinition.key == key, WorkflowInstance.status == RUNNING,
               WorkflowInstance.definition_id != target.id).order_by(WorkflowInstance.id)).all()


def _digests(key, target):
    rows = db.session.execute(
        select(WorkflowInstance.id, WorkflowInstance.definition_id, WorkflowInstance.state)
        .join(WorkflowInstance.definition)
        .where(WorkflowDefinition.key == key, WorkflowInstance.status == RUNNING,
               WorkflowInstance.definition_id != target.id).order_by(WorkflowInstance.id))
    return [(row.id, _digest(row.definition_id, row.state)) for row in rows]


def _digest(definition_id, state_text):
    return hashlib.sha256(f"{definition_id}:{state_text}".encode("utf-8")).hexdigest()


def _fingerprint(target, pairs):
    text = f"{target.id}|" + ",".join(f"{instance_id}:{digest}" for instance_id, digest in pairs)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _begin_before_savepoints():
    """SQLite's Python driver begins a transaction only before a write, so a SAVEPOINT after reads starts
    one of its own and its RELEASE commits: each move would be committed alone, not by the view."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def _move_in_savepoint(instance, move, expected_digest):
    """(entry, None) when `instance` moved; (entry or None, reason) when it did not, and then nothing of it
    changed."""
    entry = None
    try:
        with db.session.begin_nested():
            workflow = engine.load(instance, for_update=True)
            if _digest(instance.definition_id, instance.state) != expected_digest:
                return None, _l("It moved on since the report was made; open the report again to see where "
                                "it stands now.")
            entry, carried = _assess(instance, move, workflow)
            if not entry.movable:
                return entry, entry.reasons[0]
            instance.definition = move.target
            engine.save(instance, carried)
            tasks.refresh_ready(instance, carried)
            db.session.flush()
            return entry, None
    except Exception:  # whatever failed, this instance's savepoint is rolled back and the others go on
        log.exception("moving workflow instance %s to definition %s failed", instance.id, move.target.id)
        return entry, _l("It could not be moved because of an error (written to the log); it is unchanged.")


def _assess(instance, move, workflow):
    """(Entry, the workflow carried over to the target or None): can `instance`, whose workflow is
    `workflow`, move, and if not, why."""
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    titles = tuple(_title(task.task_spec) for task in ready or workflow.get_tasks(state=TaskState.WAITING))
    carried = None
    try:
        top_diff, sub_diffs, missing = _diffs(workflow, move)
        reasons = missing + _blockers(workflow, instance, ready, top_diff, sub_diffs, move)
        if not reasons:
            carried = _carry_over(workflow, ready, top_diff, sub_diffs, move)
    except Exception as error:  # SpiffWorkflow fails in many ways on a state it cannot align; all mean "no"
        log.info("workflow instance %s cannot move to definition %s: %r", instance.id, move.target.id, error)
        reasons = [_l("Its state could not be carried over to version %(n)d (%(error)s).", n=move.number,
                      error=str(error) or type(error).__name__)]
    if carried is None and not reasons:
        reasons = [_l("Its open steps would not stay open as they are on version %(n)d.", n=move.number)]
    entry = Entry(instance.id, workflow.data.get("document_id"), instance.unit_id,
                  move.numbers.get(instance.definition_id, 0), titles,
                  tuple(reasons), _digest(instance.definition_id, instance.state))
    return entry, carried


def _diffs(workflow, move):
    """The diff of the workflow and of each of its sub-processes; the reasons a sub-process cannot move."""
    top_diff = WorkflowDiff(workflow, move.diff(workflow.spec, move.spec))
    sub_diffs, missing = {}, []
    for sub_id, sub in workflow.subprocesses.items():
        new_spec = move.subprocess_specs.get(sub.spec.name)
        if new_spec is None:
            missing.append(_l("It runs the sub-process '%(name)s', which version %(n)d does not have.",
                              name=sub.spec.description or sub.spec.name, n=move.number))
        else:
            sub_diffs[sub_id] = WorkflowDiff(sub, move.diff(sub.spec, new_spec))
    return top_diff, sub_diffs, missing


def _blockers(workflow, instance, ready, top_diff, sub_diffs, move):
    reasons = []
    if len(ready) > 1 or any(isinstance(task.task_spec, LoopTask) and task.has_state(_UNDER_WAY)
                             for task in workflow.get_tasks()):
        reasons.append(_l("Parallel branches are running (%(count)d steps open at once); it can move once they "
                          "have come together.", count=len(ready)))
    removed = top_diff.removed + [task for diff in sub_diffs.values() for task in diff.removed]
    for task in removed:
        if task.has_state(TaskState.READY) and task.task_spec.manual:
            reasons.append(_l("Its current step '%(step)s' does not exist in version %(n)d.",
                              step=_title(task.task_spec), n=move.number))
        elif task.has_state(_UNDER_WAY):
            reasons.append(_l("It is waiting at '%(step)s', which does not exist in version %(n)d.",
                              step=_title(task.task_spec), n=move.number))
    history = [task for task in removed if task.has_state(_DEFINITE) and task.task_spec.bpmn_id]
    # the admin knows the steps people took; a gateway or event is named only when no step explains it
    passed = (sorted({_title(task.task_spec) for task in history if task.task_spec.manual})
              or sorted({_title(task.task_spec) for task in history}))
    if passed:
        reasons.append(_l("It has passed steps that version %(n)d does not have (%(steps)s), so its history "
                          "cannot move with it.", n=move.number, steps=", ".join(passed)))
    alignment = {**top_diff.alignment, **{task: spec for diff in sub_diffs.values()
                                          for task, spec in diff.alignment.items()}}
    own_steps = definitions.steps_for(instance.definition)
    for task in ready:
        new_spec = alignment.get(task)
        if new_spec is None:
            continue  # reported as removed above
        was = own_steps.get(task.task_spec.bpmn_id)
        becomes = move.steps.get(new_spec.bpmn_id) if new_spec.manual else None
        if getattr(was, "kind", None) != getattr(becomes, "kind", None):
            reasons.append(_l("The step '%(step)s' is another kind of step in version %(n)d (%(old)s, now "
                              "%(new)s).", step=_title(task.task_spec), n=move.number,
                              old=_kind_label(was), new=_kind_label(becomes)))
    return reasons


def _carry_over(workflow, ready, top_diff, sub_diffs, move):
    """The workflow on the target's spec, stored and loaded again as the target version will load it; None
    when its open steps would not stay the same tasks (and so keep who holds them)."""
    before = {str(task.id) for task in ready}
    migrate_workflow(top_diff, workflow, move.spec)
    for sub_id, diff in sub_diffs.items():
        sub = workflow.subprocesses[sub_id]
        migrate_workflow(diff, sub, move.subprocess_specs[sub.spec.name])
    workflow.subprocess_specs = move.subprocess_specs
    workflow.do_engine_steps()
    carried = state.loads(state.dumps(workflow), move.spec, move.subprocess_specs)
    if {str(task.id) for task in carried.get_tasks(state=TaskState.READY, manual=True)} != before:
        return None
    return carried


def _title(spec):
    return spec.bpmn_name or spec.bpmn_id or spec.name


def _kind_label(step):
    return steps.KINDS[step.kind].label if step is not None else _l("not a person's step")
