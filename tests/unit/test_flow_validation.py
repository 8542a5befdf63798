"""The checks at publish (issue 16 item 4) that need no database: no dead ends, every element reached from
the start, and conditions that read only what the steps set; each refusal names the element."""
import pytest

from app.workflow import definitions, validation
from app.workflow.errors import InvalidDefinition

OUTGOING = (definitions.BPMN_DIR / "outgoing.bpmn").read_text(encoding="utf-8")


def test_the_shipped_flows_pass_every_check():
    for key in definitions.seed_keys():
        validation.check((definitions.BPMN_DIR / f"{key}.bpmn").read_text(encoding="utf-8"))


def test_a_task_nothing_leads_to_is_refused_by_its_id():
    orphan = ('<bpmn:userTask id="forgotten" esaraban:kind="work"><bpmn:outgoing>Flow_forgotten</bpmn:outgoing>'
              '</bpmn:userTask><bpmn:sequenceFlow id="Flow_forgotten" sourceRef="forgotten" targetRef="signed" />')
    with pytest.raises(InvalidDefinition, match="forgotten: nothing leads") as refused:
        validation.check(OUTGOING.replace("</bpmn:process>", orphan + "</bpmn:process>"))
    assert refused.value.element_id == "forgotten"  # the editor selects it


def test_a_dead_end_is_refused_by_its_id():
    # a third way out of the proposer's choice, to a task with no way out
    stuck = ('<bpmn:userTask id="stuck" esaraban:kind="revise"><bpmn:incoming>Flow_park</bpmn:incoming>'
             '</bpmn:userTask><bpmn:sequenceFlow id="Flow_park" sourceRef="gw_revise" targetRef="stuck">'
             '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision == "park"'
             "</bpmn:conditionExpression></bpmn:sequenceFlow>")
    xml = OUTGOING.replace("</bpmn:process>", stuck + "</bpmn:process>")
    with pytest.raises(InvalidDefinition, match="stuck: a dead end") as refused:
        validation.check(xml)
    assert refused.value.element_id == "stuck"


@pytest.mark.parametrize("condition", ['budget &gt; 100000', 'decision == "sign" and approver == "chief"'])
def test_a_condition_reading_what_no_step_sets_is_refused_naming_the_flow(condition):
    xml = OUTGOING.replace('decision == "sign"</bpmn:conditionExpression>', f"{condition}</bpmn:conditionExpression>")
    with pytest.raises(InvalidDefinition, match="which no step sets") as refused:
        validation.check(xml)
    assert refused.value.element_id == "gw_sign"  # the gateway whose flow holds the condition


def test_a_condition_on_speed_secrecy_and_document_type_is_accepted():
    xml = OUTGOING.replace('decision == "sign"</bpmn:conditionExpression>',
                           'decision == "sign" and (speed != "normal" or secrecy == "normal" or '
                           'document_type == "external")</bpmn:conditionExpression>')
    validation.check(xml)
