"""A workflow's running state as compact JSON, without its spec.

SpiffWorkflow's serializer writes the whole parsed diagram into every workflow (most of the JSON). We
leave it out and hand the cached spec back on load, and drop per-task fields that hold their default
value. The rest is SpiffWorkflow's own format, so its version migrations still apply.
"""
import json
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.migration.version_migration import MIGRATIONS
from SpiffWorkflow.bpmn.serializer.workflow import VERSION, BpmnWorkflowSerializer

from app.workflow.expressions import SCRIPT_ENGINE

VERSION_KEY = BpmnWorkflowSerializer.VERSION_KEY


def _task_defaults():
    return {"triggered": False, "internal_data": {}, "data": {}, "children": [],
            "delta": {"updates": {}, "deletions": []}, "typename": "Task"}


_TASK_DEFAULTS = _task_defaults()


class _StateOnlyConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, script_engine=SCRIPT_ENGINE, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_registry = BpmnWorkflowSerializer.configure({**DEFAULT_CONFIG, BpmnWorkflow: _StateOnlyConverter})
REGISTRY = _registry  # SpiffWorkflow's spec diff compares task specs through a serializer registry


def dumps(workflow):
    dct = _registry.convert(workflow)
    for tasks in _task_maps(dct):
        for guid, task in tasks.items():
            tasks[guid] = _compact(task)
    dct[VERSION_KEY] = VERSION
    return json.dumps(dct, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def loads(text, spec, subprocess_specs):
    dct = json.loads(text)
    for tasks in _task_maps(dct):
        for guid, task in tasks.items():
            tasks[guid] = _expand(guid, task)
    version = dct.pop(VERSION_KEY, VERSION)
    if version != VERSION and version in MIGRATIONS:
        _migrate(dct, version, spec, subprocess_specs)
    return _registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)


def _task_maps(dct):
    yield dct["tasks"]
    for subprocess in dct.get("subprocesses", {}).values():
        yield subprocess["tasks"]


def _compact(task):
    del task["id"]  # it is the key of the task in the map
    return {key: value for key, value in task.items() if _TASK_DEFAULTS.get(key, ...) != value}


def _expand(guid, task):
    return {**_task_defaults(), "id": guid, **task}


def _migrate(dct, version, spec, subprocess_specs):
    # Some of SpiffWorkflow's migrations rewrite the spec as well, so they get one to work on.
    dct["spec"] = _registry.convert(spec)
    dct["subprocess_specs"] = {name: _registry.convert(sub) for name, sub in subprocess_specs.items()}
    MIGRATIONS[version](dct)
    dct.pop("spec")
    dct.pop("subprocess_specs")


def _json_default(value):
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot be stored in workflow data")
