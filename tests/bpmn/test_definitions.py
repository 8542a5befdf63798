"""Publishing versions, running instances on their own version, refusing scripts, and the stored state."""
import json
import os
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions import timer as timer_definitions

from app.core.models import utcnow
from app.extensions import db
from app.workflow import definitions, engine, expressions, state
from app.workflow.errors import InvalidDefinition, WorkflowError
from app.workflow.models import WorkflowDefinition
from tests.flow_edits import drawn

DELIVERY = (definitions.BPMN_DIR / "delivery.bpmn").read_text(encoding="utf-8")
KEY = "delivery_copy"
USER_TASK_OPEN = '<bpmn:userTask id="review_delivery" esaraban:kind="register" name="ลงรับหรือตีกลับ">'


def _start(unit, key=KEY):
    return engine.start(key, subject_type="delivery", subject_id=7, unit_id=unit.id, data={"speed": "normal"})


def _versions(key=KEY):
    return db.session.scalar(select(func.count()).select_from(WorkflowDefinition)
                             .where(WorkflowDefinition.key == key))


def test_the_same_xml_published_twice_is_one_version():
    first = definitions.publish(KEY, DELIVERY)
    assert definitions.publish(KEY, DELIVERY.encode("utf-8")).id == first.id
    assert _versions() == 1 and first.process_id == "delivery"


def test_a_running_instance_stays_on_its_version(unit, clerk):
    v1 = definitions.publish(KEY, DELIVERY)
    old = _start(unit)
    v2 = definitions.publish(KEY, DELIVERY.replace("ลงรับหรือตีกลับ", "ลงรับหรือส่งคืน"))
    assert v2.id != v1.id and _versions() == 2 and definitions.current(KEY).id == v2.id
    new = _start(unit)
    assert (old.definition_id, new.definition_id) == (v1.id, v2.id)
    row = engine.complete(old, "review_delivery", user_id=clerk.id, data={"decision": "register"})
    assert row.title == "ลงรับหรือตีกลับ" and engine.outcome(old) == "registered"
    assert [row.title for row in new.tasks] == ["ลงรับหรือส่งคืน"]


@pytest.mark.parametrize("extra", [
    '<bpmn:scriptTask id="run_me"><bpmn:script>import os; os.system("id")</bpmn:script></bpmn:scriptTask>',
    '<bpmn:serviceTask id="call_out" />',
])
def test_a_diagram_with_code_is_refused(extra):
    xml = DELIVERY.replace("</bpmn:process>", extra + "</bpmn:process>")
    with pytest.raises(InvalidDefinition, match="not allowed"):
        definitions.publish(KEY, xml)
    assert _versions() == 0


@pytest.mark.parametrize("tag", ["preScript", "postScript"])
def test_spiff_task_scripts_are_refused(tag):
    spiff = "http://spiffworkflow.org/bpmn/schema/1.0/core"
    extension = (f'<bpmn:extensionElements><spiff:{tag} xmlns:spiff="{spiff}">print("hello")</spiff:{tag}>'
                 "</bpmn:extensionElements>")
    with pytest.raises(InvalidDefinition, match=tag):
        definitions.publish(KEY, DELIVERY.replace(USER_TASK_OPEN, USER_TASK_OPEN + extension))


@pytest.mark.parametrize("condition", [
    '__import__("os").system("id")', 'open("/etc/passwd")', "decision.__class__", "[x for x in ()]",
    'getattr(decision, "upper")', "lambda: 1", "decision := 1",
])
def test_a_condition_outside_the_expression_language_is_refused(condition, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", calls.append)
    with pytest.raises(InvalidDefinition):
        definitions.publish(KEY, DELIVERY.replace('decision == "return"', condition))
    with pytest.raises(expressions.ExpressionError):
        expressions.evaluate(condition, {"decision": "return"})
    assert calls == []


def test_a_condition_failing_on_the_data_fails_safely(unit, clerk):
    definitions.publish(KEY, DELIVERY.replace('decision == "return"', "1 / 0 == decision"))
    instance = _start(unit)
    with pytest.raises(WorkflowError):
        engine.complete(instance, "review_delivery", user_id=clerk.id, data={"decision": "return"})
    assert engine.ready_task_names(instance) == {"review_delivery"}


def test_scripts_are_never_executed():
    with pytest.raises(expressions.ExpressionError):
        expressions.SafeEnvironment().execute('open("/tmp/owned", "w")', {})
    assert expressions.evaluate('len(names) > 1 and decision in ("register", "return")',
                                {"names": [1, 2], "decision": "return"}) is True


def test_a_human_task_outside_a_role_lane_is_refused():
    with pytest.raises(InvalidDefinition, match="lane"):
        definitions.publish(KEY, DELIVERY.replace('name="clerk"', 'name="everyone"'))


def test_xml_entities_are_not_expanded():
    xml = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           + DELIVERY.split("?>", 1)[1].replace("ลงรับหรือตีกลับ", "&x;"))
    with pytest.raises(InvalidDefinition):
        definitions.publish(KEY, xml)


def test_the_stored_state_holds_no_spec(unit):
    instance = _start(unit, "delivery")
    stored = json.loads(instance.state)
    assert "spec" not in stored and "subprocess_specs" not in stored and "task_specs" not in instance.state
    full = BpmnWorkflowSerializer().serialize_json(engine._load(instance))  # with the spec
    assert len(instance.state) * 3 < len(full)
    assert state.dumps(engine._load(instance)) == instance.state


def test_task_rows_follow_the_human_task(unit, clerk):
    instance = _start(unit, "delivery")
    [row] = instance.tasks
    assert (row.spec_name, row.lane, row.unit_id, row.state, row.speed) == (
        "review_delivery", "clerk", unit.id, "ready", "normal")
    done = engine.complete(instance, "review_delivery", user_id=clerk.id, data={"decision": "return"})
    assert done is row and row.state == "completed" and row.completed_by_id == clerk.id
    assert row.completed_at is not None and instance.status == "completed"
    with pytest.raises(WorkflowError):
        engine.complete(instance, "review_delivery", user_id=clerk.id, data={"decision": "return"})
    assert engine.send_message(instance, "recall") is False


def test_timers_fire_when_refreshed_after_they_are_due(unit, monkeypatch):
    timer = ('<bpmn:boundaryEvent id="deadline" name="ครบ 1 ชั่วโมง" attachedToRef="review_delivery">'
             '<bpmn:outgoing>Flow_expire'
             '</bpmn:outgoing><bpmn:timerEventDefinition id="Timer_deadline"><bpmn:timeDuration '
             'xsi:type="bpmn:tFormalExpression">"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>'
             '</bpmn:boundaryEvent><bpmn:endEvent id="expired" name="หมดเวลา"><bpmn:incoming>Flow_expire</bpmn:incoming>'
             '</bpmn:endEvent><bpmn:sequenceFlow id="Flow_expire" sourceRef="deadline" '
             'targetRef="expired" />')
    definitions.publish(KEY, drawn(DELIVERY.replace("</bpmn:process>", timer + "</bpmn:process>")))
    instance = _start(unit)
    assert timedelta(minutes=59) < instance.next_timer_at - utcnow() <= timedelta(hours=1)
    engine.refresh_timers(instance)
    assert instance.status == "running" and instance.next_timer_at is not None

    class TwoHoursLater(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(hours=2)

    monkeypatch.setattr(timer_definitions, "datetime", TwoHoursLater)
    engine.refresh_timers(instance)
    assert engine.outcome(instance) == "expired" and instance.next_timer_at is None
    assert [row.state for row in instance.tasks] == ["cancelled"]


def test_a_shipped_flow_changed_by_an_upgrade_is_published_and_new_instances_follow_it(
        unit, clerk, tmp_path, monkeypatch):
    """An install runs on the shipped diagram; the next release ships it changed (the outgoing flow gained
    its co-signature steps): new instances follow the new file, one started before keeps its version."""
    monkeypatch.setattr(definitions, "BPMN_DIR", tmp_path)
    seed = tmp_path / "shipped_flow.bpmn"
    seed.write_text(DELIVERY, encoding="utf-8")
    definitions._seed_digest.cache_clear()
    before = _start(unit, "shipped_flow")
    seed.write_text(DELIVERY.replace("ลงรับหรือตีกลับ", "ลงรับหรือส่งคืน"), encoding="utf-8")  # the upgrade
    definitions._seed_digest.cache_clear()
    after = _start(unit, "shipped_flow")
    assert after.definition_id != before.definition_id and _versions("shipped_flow") == 2
    assert [row.title for row in after.tasks] == ["ลงรับหรือส่งคืน"]
    assert [row.title for row in before.tasks] == ["ลงรับหรือตีกลับ"]
    assert definitions.current("shipped_flow").id == after.definition_id  # published once
    definitions._seed_digest.cache_clear()
