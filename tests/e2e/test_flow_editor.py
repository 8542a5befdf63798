"""Issue 16 item 3 in a browser: the IT officer builds a new flow in the editor without drag and drop (the
director's signature after the clerk's routing, a reminder after 2 days, a decision sign / send back),
checks it (the error names the step and choosing it selects the step), publishes it and sees the version
on the flow page; then opens it on a phone, where the panel sits under the diagram."""
import re
import uuid

import pytest
from lxml import etree
from playwright.sync_api import expect

from app.workflow import definitions
from tests.e2e.conftest import DEMO_PASSWORD, has_no_horizontal_scroll, submit
from tests.e2e.test_letters import PHONE_390

pytestmark = pytest.mark.e2e
DESK = {"width": 1366, "height": 900}
BPMN = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
ESARABAN = "{https://e-saraban.local/bpmn/extensions}"
SIGN_OFF = "ผู้อำนวยการพิจารณาลงนาม"


def shape(page, element_id):
    return page.get_by_test_id("editor-canvas").locator(f'g.djs-element[data-element-id="{element_id}"]')


def choose(page, element_id):
    """Click an element of the diagram; the panel shows it."""
    shape(page, element_id).click()
    expect(page.get_by_test_id("editor-panel")).to_have_attribute("data-element-id", element_id)


def added(page, button, before):
    """Press a panel button that adds an element; returns the id of the element it selected."""
    panel = page.get_by_test_id("editor-panel")
    panel.get_by_test_id(button).click()
    expect(panel).not_to_have_attribute("data-element-id", before)
    return panel.get_attribute("data-element-id")


def type_into(locator, text):
    locator.fill(text)
    locator.press("Tab")  # the panel takes a value when the box is left, as a person does


def set_condition(page, flow_button, decision):
    panel = page.get_by_test_id("editor-panel")
    flow_button.click()
    panel.get_by_test_id("panel-condition-variable").select_option("decision")
    panel.get_by_test_id("panel-condition-value").select_option(decision)
    expect(panel.get_by_test_id("panel-condition-expression")).to_have_value(f'decision == "{decision}"')


def test_the_admin_builds_a_new_flow_in_the_editor_and_publishes_it(e2e_app, open_browser_as):
    key = f"request_help_{uuid.uuid4().hex[:6]}"
    admin = open_browser_as("admin", DEMO_PASSWORD, viewport=DESK)
    admin.goto("/admin/flows")
    with admin.expect_navigation():
        admin.get_by_test_id("flow-new").click()
    admin.locator("input[name=key]").fill(key)
    submit(admin, admin.get_by_role("button", name="เปิดเครื่องมือแก้ไข"))
    expect(admin.get_by_test_id("flow-editor")).to_have_attribute("data-ready", "true")
    panel = admin.get_by_test_id("editor-panel")
    expect(admin.get_by_test_id("editor-canvas")).to_contain_text("พิจารณาส่งต่อภายในหน่วยงาน")
    expect(admin.get_by_test_id("editor-canvas").locator(".flow-editor-role")).to_have_text(
        ["ธุรการ", "ผู้บริหาร", "ผู้ปฏิบัติงาน"])
    expect(admin.locator(".djs-palette").get_by_role("button", name="เพิ่มขั้นตอน")).to_have_count(1)  # in Thai

    choose(admin, "route")
    sign_off = added(admin, "panel-add-step", "route")
    type_into(panel.get_by_test_id("panel-name"), SIGN_OFF)
    expect(shape(admin, sign_off)).to_contain_text(SIGN_OFF)

    admin.get_by_test_id("editor-check").click()  # the new step has no kind yet
    error = admin.get_by_test_id("editor-errors").locator(f'button[data-element-id="{sign_off}"]')
    expect(error).to_contain_text(f"ขั้นตอน «{SIGN_OFF}»")
    expect(admin.get_by_test_id("editor-status")).to_contain_text("ยังเผยแพร่ไม่ได้")
    choose(admin, "route")
    error.click()
    expect(panel).to_have_attribute("data-element-id", sign_off)

    panel.get_by_test_id("panel-kind").select_option("review")
    expect(panel).to_contain_text("ลงนาม")  # the decisions a review ends with
    panel.get_by_test_id("panel-lane").select_option("manager")
    expect(panel.get_by_test_id("panel-lane")).to_have_value("manager")

    reminder = added(admin, "panel-add-timer", sign_off)
    expect(panel.get_by_test_id("panel-timer-kind")).to_have_value("remind")
    type_into(panel.get_by_test_id("panel-timer-days"), "3")
    type_into(panel.get_by_test_id("panel-timer-days"), "2")
    expect(panel.get_by_test_id("panel-name")).to_have_value("เตือนเมื่อครบ 2 วัน")
    expect(panel.get_by_test_id("panel-timer-interrupting")).not_to_be_checked()

    choose(admin, sign_off)
    gateway = added(admin, "panel-add-decision", sign_off)
    ways = panel.get_by_test_id("panel-outgoing").locator("button")
    expect(ways).to_have_count(2)
    to_finish, to_other_end = (ways.nth(0).get_attribute("data-element-id"),
                               ways.nth(1).get_attribute("data-element-id"))
    set_condition(admin, ways.nth(0), "sign")
    choose(admin, gateway)
    set_condition(admin, panel.get_by_test_id("panel-outgoing").locator(f'[data-element-id="{to_other_end}"]'),
                  "send_back")
    expect(shape(admin, f"{to_finish}_label")).to_have_text("ลงนาม")  # the flow is named after the decision

    admin.get_by_test_id("editor-check").click()
    expect(admin.get_by_test_id("editor-status")).to_contain_text("ผ่านการตรวจสอบ")
    expect(admin.get_by_test_id("editor-errors")).to_be_hidden()
    admin.screenshot(path="/tmp/editor-1366.png", full_page=True)

    admin.get_by_test_id("editor-publish").click()
    admin.get_by_test_id("editor-note").fill("ขั้นตอนหนังสือขอความอนุเคราะห์")
    with admin.expect_navigation(url=re.compile(rf"/admin/flows/{key}$")):
        admin.get_by_test_id("editor-publish-confirm").click()
    expect(admin.locator(".alert-success")).to_contain_text("เผยแพร่ร่างเป็นรุ่นที่ 1")
    version = admin.get_by_test_id("flow-version")
    expect(version).to_have_count(1)
    expect(version).to_contain_text("รุ่นที่ 1")
    expect(version).to_contain_text("ขั้นตอนหนังสือขอความอนุเคราะห์")
    expect(version.get_by_test_id("flow-current")).to_be_visible()

    with e2e_app.app_context():
        root = etree.fromstring(definitions.current(key).bpmn_xml.encode("utf-8"))
    task = root.xpath("//bpmn:userTask[@id=$id]", namespaces=BPMN, id=sign_off)[0]
    assert task.get(f"{ESARABAN}kind") == "review" and task.get("name") == SIGN_OFF
    manager_lane = root.xpath("//bpmn:lane[@name='manager']/bpmn:flowNodeRef/text()", namespaces=BPMN)
    assert sign_off in manager_lane
    timer = root.xpath("//bpmn:boundaryEvent[@id=$id]", namespaces=BPMN, id=reminder)[0]
    assert timer.get("attachedToRef") == sign_off and timer.get("cancelActivity") == "false"
    assert timer.get(f"{ESARABAN}timer") == "remind"
    assert timer.xpath("string(.//bpmn:timeDuration)", namespaces=BPMN) == '"P2D"'
    conditions = {flow.get("id"): flow.xpath("string(bpmn:conditionExpression)", namespaces=BPMN)
                  for flow in root.xpath("//bpmn:sequenceFlow[@sourceRef=$id]", namespaces=BPMN, id=gateway)}
    assert conditions == {to_finish: 'decision == "sign"', to_other_end: 'decision == "send_back"'}


def test_on_a_phone_the_panel_is_under_the_diagram(open_browser_as):
    phone = open_browser_as("admin", DEMO_PASSWORD, viewport=PHONE_390)
    phone.goto("/admin/flows/handling")
    with phone.expect_navigation():
        phone.get_by_test_id("flow-edit").click()
    expect(phone.get_by_test_id("flow-editor")).to_have_attribute("data-ready", "true")
    expect(phone.get_by_test_id("editor-source")).to_contain_text("รุ่นที่ใช้งาน")
    canvas = phone.get_by_test_id("editor-canvas").bounding_box()
    panel = phone.get_by_test_id("editor-panel")
    assert panel.bounding_box()["y"] >= canvas["y"] + canvas["height"]
    assert has_no_horizontal_scroll(phone)

    expect(shape(phone, "registered")).to_be_in_viewport()  # the diagram opens at its start, readable
    expect(shape(phone, "sign_off")).not_to_be_in_viewport()
    phone.get_by_test_id("editor-fit").click()
    expect(shape(phone, "sign_off")).to_be_in_viewport()
    choose(phone, "sign_off")
    expect(panel.get_by_test_id("panel-kind")).to_have_value("review")
    expect(panel.get_by_test_id("panel-lane")).to_have_value("manager")
    type_into(panel.get_by_test_id("panel-name"), "พิจารณาลงนามหนังสือ")
    phone.get_by_test_id("editor-save").click()
    expect(phone.get_by_test_id("editor-status")).to_contain_text("บันทึกร่างแล้ว")
    assert has_no_horizontal_scroll(phone)
    phone.screenshot(path="/tmp/editor-390.png", full_page=True)

    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation():
        phone.get_by_test_id("editor-discard").click()
    expect(phone.locator(".alert-success")).to_contain_text("ทิ้งร่างแล้ว")
    expect(phone.get_by_test_id("editor-source")).to_contain_text("รุ่นที่ใช้งาน")
