"""Steps by kind, not by id (issue 16 item 1): each user task names its kind, the decisions it offers are
those its outgoing flows test, and a task without a known kind is refused with its id."""
import pytest

from app.workflow import definitions, validation
from app.workflow.errors import InvalidDefinition
from app.workflow.steps import StepKind, UnknownKind, steps_of


def shipped(key):
    return (definitions.BPMN_DIR / f"{key}.bpmn").read_text(encoding="utf-8")


def steps(xml, **options):
    return steps_of(validation.read_xml(xml), **options)


def test_every_task_of_the_shipped_flows_names_its_kind_and_offers_what_its_flows_test():
    assert {task: (step.kind, set(step.decisions)) for task, step in steps(shipped("outgoing")).items()} == {
        "sign_off": (StepKind.REVIEW, {"sign", "endorse", "send_back"}),
        "cosign": (StepKind.COSIGN, {"cosign", "decline"}),
        "revise": (StepKind.REVISE, {"resubmit", "withdraw"}),
    }
    assert {task: step.kind for task, step in steps(shipped("handling")).items()} == {
        "triage": StepKind.ROUTE, "instruct": StepKind.INSTRUCT, "work": StepKind.WORK,
        "sign_off": StepKind.REVIEW, "finish": StepKind.FINISH}
    assert steps(shipped("delivery"))["review_delivery"].decisions == {"register", "return"}


def test_a_review_whose_diagram_has_no_send_back_path_offers_none():
    xml = shipped("outgoing")
    start = xml.index('<bpmn:sequenceFlow id="Flow_sign_back"')
    end = xml.index("</bpmn:sequenceFlow>", start) + len("</bpmn:sequenceFlow>")
    without = xml[:start] + xml[end:]
    without = without.replace("<bpmn:outgoing>Flow_sign_back</bpmn:outgoing>", "")
    assert steps(without)["sign_off"].decisions == {"sign", "endorse"}


def test_the_same_kinds_under_other_ids_are_the_same_steps():
    renamed = shipped("handling").replace('"triage"', '"route_in_unit"').replace('"work"', '"do_it"') \
        .replace('esaraban:kind="do_it"', 'esaraban:kind="work"')
    found = steps(renamed)
    assert found["route_in_unit"].kind == StepKind.ROUTE and found["do_it"].kind == StepKind.WORK


@pytest.mark.parametrize("attribute", ['esaraban:kind="approve"', ""])
def test_a_task_without_a_known_kind_is_refused_naming_the_task(attribute):
    xml = shipped("delivery").replace('esaraban:kind="register"', attribute)
    with pytest.raises(UnknownKind) as refused:
        steps(xml)
    assert refused.value.task_id == "review_delivery"
    with pytest.raises(InvalidDefinition, match="review_delivery"):
        validation.check(xml)


def test_a_version_published_before_kinds_were_named_runs_by_its_shipped_ids():
    older = shipped("delivery").replace(' esaraban:kind="register"', "")
    assert steps(older, legacy=True)["review_delivery"].kind == StepKind.REGISTER
