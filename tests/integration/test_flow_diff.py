"""Comparing two versions of a flow (issue 16 item 5): what an admin sees changed, by element, and the compare
page drawing both versions coloured by it."""
import json
import re

from app.extensions import db
from app.workflow import definitions, diff
from tests.factories import make_user
from tests.flow_edits import INSTRUCT, SEND_BACK, SHIPPED_HANDLING, WORK_RENAMED, handling_v2


def changes_by_id(old, new):
    return {change.element_id: change for change in diff.compare(old, new)}


def test_removed_steps_and_a_renamed_one_are_told_apart_and_nothing_else_is_listed():
    changes = changes_by_id(SHIPPED_HANDLING, handling_v2())
    assert {element_id for element_id, change in changes.items() if change.change == diff.REMOVED} == set(
        INSTRUCT + SEND_BACK)
    assert changes["instruct"].element_type == "userTask" and changes["instruct"].name == "สั่งการ (เกษียนหนังสือ)"
    renamed = changes["work"]
    assert renamed.change == diff.CHANGED and renamed.fields == (("name", "ปฏิบัติงาน", WORK_RENAMED),)
    # the gateway after the triage lost one of its ways; the flows into the work step now name it by its new name
    assert changes["Flow_triage_assign"].fields == (("target", "ปฏิบัติงาน", WORK_RENAMED),)
    assert not any(change.change == diff.ADDED for change in changes.values())


def test_a_diagram_only_tidied_is_moved_not_changed():
    moved = SHIPPED_HANDLING.replace('<dc:Bounds x="810" y="465" width="120" height="80" />',
                                     '<dc:Bounds x="830" y="470" width="120" height="80" />')
    assert moved != SHIPPED_HANDLING
    changes = diff.compare(SHIPPED_HANDLING, moved)
    assert [(change.element_id, change.change) for change in changes] == [("work", diff.MOVED)]
    assert diff.compare(SHIPPED_HANDLING, SHIPPED_HANDLING) == []


def test_a_new_step_a_different_kind_lane_and_condition_are_each_named_with_before_and_after():
    edited = (SHIPPED_HANDLING
              .replace('<bpmn:userTask id="triage" esaraban:kind="route"', '<bpmn:userTask id="triage" esaraban:kind="finish"')
              .replace('<bpmn:flowNodeRef>work</bpmn:flowNodeRef>', '')
              .replace('<bpmn:flowNodeRef>sign_off</bpmn:flowNodeRef>',
                       '<bpmn:flowNodeRef>sign_off</bpmn:flowNodeRef><bpmn:flowNodeRef>work</bpmn:flowNodeRef>')
              .replace('decision == "close"</bpmn:conditionExpression>',
                       'decision == "close" and speed == "normal"</bpmn:conditionExpression>', 1)
              .replace('<bpmn:userTask id="work"',
                       '<bpmn:userTask id="Activity_check" esaraban:kind="review" name="ตรวจทาน"/>'
                       '<bpmn:userTask id="work"'))
    changes = changes_by_id(SHIPPED_HANDLING, edited)
    assert changes["triage"].fields == (("kind", "route", "finish"),)
    assert changes["work"].fields == (("lane", "operator", "manager"),)
    assert changes["Flow_triage_close"].fields == (
        ("condition", 'decision == "close"', 'decision == "close" and speed == "normal"'),)
    assert changes["Activity_check"].change == diff.ADDED and changes["Activity_check"].name == "ตรวจทาน"
    assert diff.display_value("kind", "finish") == "ปิดงานหรือส่งต่อ (finish)"
    assert diff.display_value("lane", "manager") == "ผู้บริหาร (manager)"


def publish_v2():
    definitions.current("handling")
    published = definitions.publish("handling", handling_v2())
    db.session.commit()
    return published


def test_the_compare_page_lists_the_changes_in_thai_and_colours_both_diagrams(client, login):
    target = publish_v2()
    login(client, make_user(roles=("admin",)))
    flow_page = client.get("/admin/flows/handling").get_data(as_text=True)
    assert f"/admin/flows/handling/compare?to={target.id}" in flow_page and "เทียบกับรุ่นที่ 1" in flow_page

    page = client.get("/admin/flows/handling/compare").get_data(as_text=True)
    assert "ก่อน: รุ่นที่ 1" in page and "หลัง: รุ่นที่ 2" in page
    listed = dict(re.findall(r'data-testid="compare-change" data-element-id="([^"]+)" data-change="([a-z]+)"', page))
    assert listed["instruct"] == "removed" and listed["work"] == "changed"
    assert "ลบออก" in page and WORK_RENAMED in page
    markers = json.loads(re.search(r'data-markers="([^"]*)"', page).group(1).replace("&#34;", '"'))
    assert markers["instruct"] == "removed" and markers["work"] == "changed"


def test_a_flow_with_one_version_has_nothing_to_compare_and_bad_versions_are_not_found(client, login):
    login(client, make_user(roles=("admin",)))
    page = client.get("/admin/flows/handling/compare")
    assert page.status_code == 200 and 'data-testid="compare-nothing"' in page.get_data(as_text=True)
    assert client.get("/admin/flows/handling/compare?from=99999999").status_code == 404
    assert client.get("/admin/flows/handling/compare?from=1x").status_code == 404
    assert client.get("/admin/flows/handling/compare?to=" + "9" * 40).status_code == 404
    assert client.get("/admin/flows/no_such_flow/compare").status_code == 404
    other = definitions.current("outgoing")
    db.session.commit()
    assert client.get(f"/admin/flows/handling/compare?from={other.id}").status_code == 404


def test_only_admins_compare_versions(client, login):
    publish_v2()
    login(client, make_user(roles=("clerk",)))
    assert client.get("/admin/flows/handling/compare").status_code == 403
