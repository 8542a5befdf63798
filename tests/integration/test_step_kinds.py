"""Steps by kind, not by id (issue 16 item 1): a flow drawn with other task ids (as another modeler, or an
admin, would name them) runs through the same services, task lists and pages as the shipped one; a step
offers only the decisions its diagram leads somewhere."""
import re

from app.extensions import db
from app.handling import queries, services
from app.handling.models import HandlingStatus
from app.routing.queries import my_tasks
from app.workflow import definitions
from tests.integration.test_handling import INSTRUCTION, do, org, received  # noqa: F401 - the fixture

RENAMED = {"triage": "route_in_unit", "instruct": "manager_instructs", "work": "do_the_work",
           "sign_off": "manager_signs", "finish": "wrap_up"}


def handling_flow_with_other_ids(send_back=True):
    xml = (definitions.BPMN_DIR / "handling.bpmn").read_text(encoding="utf-8")
    for old, new in RENAMED.items():
        xml = re.sub(rf'"{old}"', f'"{new}"', xml).replace(f">{old}<", f">{new}<")  # ids and lane refs
        xml = xml.replace(f'esaraban:kind="{new}"', f'esaraban:kind="{old}"')  # ids changed, kinds kept
    if not send_back:
        start = xml.index('<bpmn:sequenceFlow id="Flow_sign_back"')
        xml = xml[:start] + xml[xml.index("</bpmn:sequenceFlow>", start) + len("</bpmn:sequenceFlow>"):]
        xml = xml.replace("<bpmn:outgoing>Flow_sign_back</bpmn:outgoing>", "")
    definitions.current("handling")
    published = definitions.publish("handling", xml)
    db.session.commit()
    return published


def test_a_flow_with_other_task_ids_runs_end_to_end_through_the_services(org):  # noqa: F811
    handling_flow_with_other_ids()
    handling = received(org)
    assert queries.open_task(handling).spec_name == "route_in_unit"
    assert [task.kind for task in my_tasks(org.clerk_b) if task.instance_id == handling.workflow_instance_id] == [
        "route"]  # in the clerk's work list by its kind

    do(services.to_manager, org.clerk_b, handling, manager=org.head_b, note="เสนอเพื่อโปรดพิจารณาสั่งการ")
    do(services.assign, org.head_b, handling, operator=org.operator_b, instruction=INSTRUCTION)
    assert queries.open_task(handling).spec_name == "do_the_work"
    do(services.propose, org.operator_b, handling, reviewer=org.director, text="เสนอผลการสำรวจ")
    assert [h.id for _, h in queries.awaiting_signature(org.director)] == [handling.id]
    do(services.sign, org.director, handling, "อนุมัติ")
    assert queries.open_task(handling).spec_name == "wrap_up" and handling.status == HandlingStatus.SIGNED
    do(services.close, org.clerk_b, handling, "ดำเนินการแล้ว")
    assert handling.status == HandlingStatus.CLOSED and queries.open_task(handling) is None


def test_a_review_with_no_send_back_in_its_diagram_offers_no_send_back(org, client, login):  # noqa: F811
    handling_flow_with_other_ids(send_back=False)
    handling = received(org)
    do(services.to_manager, org.clerk_b, handling, manager=org.head_b)
    do(services.assign, org.head_b, handling, operator=org.operator_b, instruction=INSTRUCTION)
    do(services.propose, org.operator_b, handling, reviewer=org.director)
    task = queries.open_task(handling)
    assert queries.step_actions(task) == ("sign", "endorse")
    login(client, org.director)
    page = client.get("/signatures").get_data(as_text=True)
    assert 'data-step="sign"' in page and 'data-step="send-back"' not in page
