"""Every scenario in bpmn/*.scenario.json, driven through the engine API on MariaDB."""
import json

import pytest

from app.workflow import definitions, engine
from app.workflow.errors import WorkflowError

SCENARIO_FILES = sorted(definitions.BPMN_DIR.glob("*.scenario.json"))


def _cases():
    for path in SCENARIO_FILES:
        flow = json.loads(path.read_text(encoding="utf-8"))
        for scenario in flow["scenarios"]:
            yield pytest.param(flow, scenario, id=f"{flow['flow']}: {scenario['name']}")


@pytest.mark.parametrize(("flow", "scenario"), list(_cases()))
def test_scenario(flow, scenario, unit, clerk):
    instance = engine.start(flow["flow"], subject_type=flow["subject_type"], subject_id=1, unit_id=unit.id,
                            data=flow.get("start_data"))
    for step in scenario["steps"]:
        _run_step(instance, step, clerk)
    _check(instance, scenario["expect"], unit, clerk)


def _run_step(instance, step, clerk):
    if "complete" in step and step.get("error"):
        with pytest.raises(WorkflowError):
            engine.complete(instance, step["complete"], user_id=clerk.id, data=step.get("data"))
    elif "complete" in step:
        row = engine.complete(instance, step["complete"], user_id=clerk.id, data=step.get("data"))
        assert (row.spec_name, row.state, row.completed_by_id) == (step["complete"], "completed", clerk.id)
    elif "message" in step:
        assert engine.send_message(instance, step["message"], step.get("data")) is step["accepted"]
    elif "assign" in step:
        rows = engine.assign(instance, step["assign"], clerk.id)
        assert rows and all(row.assignee_id == clerk.id for row in rows)
    elif "waiting" in step:
        assert engine.waiting_for_message(instance, step["waiting"]) is step["expected"]
    else:
        raise AssertionError(f"unknown step {step}")


def _check(instance, expect, unit, clerk):
    assert engine.outcome(instance) == expect["outcome"]
    assert instance.status == expect["status"]
    assert engine.ready_task_names(instance) == set(expect["open_tasks"])
    open_rows = {row.spec_name for row in instance.tasks if row.state == "ready"}
    assert open_rows == set(expect["open_tasks"])
    for spec_name, count in expect.get("row_count", {}).items():
        assert sum(row.spec_name == spec_name for row in instance.tasks) == count, spec_name
    for wanted in expect.get("task_rows", []):
        row = next(row for row in instance.tasks if row.spec_name == wanted["spec_name"])
        for field, value in wanted.items():
            if field == "unit":
                assert row.unit_id == instance.unit_id == unit.id
            elif field == "completed_by":
                assert row.completed_by_id == clerk.id
            elif field == "assignee":
                assert row.assignee_id == clerk.id
            else:
                assert getattr(row, field) == value, field


def test_every_diagram_has_scenarios_and_publishes():
    keys = definitions.seed_keys()
    assert keys, "no diagrams in bpmn/"
    assert {path.name.removesuffix(".scenario.json") for path in SCENARIO_FILES} == set(keys)
    for key in keys:
        definition = definitions.publish(key)
        assert definition.id and definition.key == key
        assert definitions.current(key).id == definition.id
        assert definitions.spec_for(definition)[0].name == definition.process_id
