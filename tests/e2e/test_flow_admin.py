"""The IT officer's flow pages in a browser (issue 16 item 5), at a desk and on a phone: publish a changed
diagram, see it current in the history, and a diagram with a script refused with the element named."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, has_no_horizontal_scroll, submit
from tests.e2e.test_letters import PHONE_390
from tests.integration.test_flow_admin import SHIPPED

pytestmark = pytest.mark.e2e
DESK = {"width": 1366, "height": 900}


def test_the_admin_publishes_a_version_and_a_refused_one_changes_nothing(open_browser_as, tmp_path):
    changed = tmp_path / "handling-changed.bpmn"
    changed.write_text(SHIPPED.replace("ปิดงานหรือส่งต่อ", "ปิดงานหรือส่งต่อ (ฉบับปรับปรุง)"), encoding="utf-8")
    scripted = tmp_path / "handling-script.bpmn"
    scripted.write_text(SHIPPED.replace('<bpmn:userTask id="finish"', '<bpmn:scriptTask id="run_me" />'
                                        '<bpmn:userTask id="finish"'), encoding="utf-8")
    admin = open_browser_as("admin", DEMO_PASSWORD, viewport=DESK)
    admin.goto("/admin/flows")
    with admin.expect_navigation():
        admin.get_by_test_id("flows").get_by_role("link", name="handling", exact=True).click()
    versions = admin.get_by_test_id("flow-version").count()
    form = admin.locator("main form[enctype]")
    form.locator("input[type=file]").set_input_files(str(scripted))
    submit(admin, form.get_by_role("button", name="ตรวจสอบและเผยแพร่"))
    expect(admin.locator(".alert-danger", has_text="ไม่ได้เผยแพร่แผนผัง")).to_contain_text("scriptTask")
    expect(admin.get_by_test_id("flow-version")).to_have_count(versions)

    form = admin.locator("main form[enctype]")
    form.locator("input[type=file]").set_input_files(str(changed))
    form.get_by_label("สิ่งที่เปลี่ยน", exact=False).fill("ปรับชื่อขั้นตอนปิดงาน")
    submit(admin, form.get_by_role("button", name="ตรวจสอบและเผยแพร่"))
    expect(admin.locator(".alert-success")).to_contain_text("เผยแพร่แผนผังเป็นรุ่นที่ใช้งานแล้ว")
    newest = admin.get_by_test_id("flow-version").first
    expect(newest.get_by_test_id("flow-current")).to_be_visible()
    expect(newest).to_contain_text("ปรับชื่อขั้นตอนปิดงาน")
    admin.screenshot(path=str(tmp_path / "flow-1366.png"), full_page=True)

    phone = open_browser_as("admin", DEMO_PASSWORD, viewport=PHONE_390)
    phone.goto("/admin/flows/handling")
    expect(phone.get_by_test_id("flow-version")).to_have_count(versions + 1)
    assert has_no_horizontal_scroll(phone)
    phone.screenshot(path=str(tmp_path / "flow-390.png"), full_page=True)
    older = phone.get_by_test_id("flow-version").nth(1)
    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation():
        older.get_by_role("button", name="ตั้งรุ่นนี้เป็นรุ่นที่ใช้งาน").click()
    expect(phone.get_by_test_id("flow-version").nth(1).get_by_test_id("flow-current")).to_be_visible()
