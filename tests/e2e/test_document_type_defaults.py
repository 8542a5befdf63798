"""A document type's defaults in a browser (issue 16 item 2): the admin adds "หนังสือขอความอนุเคราะห์" and
gives it its defaults at a desk; the registry clerk, on a phone, picks the type and the form takes them,
a due date typed in พ.ศ. replaces the "due in days", and what the clerk set themselves is never overwritten."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RECEIPT_PATH, DEMO_PASSWORD, has_no_horizontal_scroll, menu_link, submit, unique_name
from tests.e2e.test_letters import PHONE_390

pytestmark = pytest.mark.e2e
DESK = {"width": 1366, "height": 900}


def test_a_types_defaults_fill_the_clerks_form_without_overwriting_the_clerk(open_browser_as, tmp_path):
    name = unique_name("หนังสือขอความอนุเคราะห์")
    admin = open_browser_as("admin", DEMO_PASSWORD, viewport=DESK)
    admin.goto("/admin/document-types")
    add = admin.locator("main form").first
    add.locator("select[name=group]").select_option("external")
    add.locator("input[name=code]").fill(f"help{abs(hash(name)) % 100000}")
    add.locator("input[name=name_th]").fill(name)
    submit(admin, add.get_by_role("button", name="เพิ่ม"))
    row = admin.locator("li.list-group-item", has_text=name)
    with admin.expect_navigation():
        row.get_by_test_id("type-flows").click()
    expect(admin.locator("h1")).to_contain_text(f"ค่าเริ่มต้นและขั้นตอนงานของ{name}")
    admin.locator("select[name=default_speed]").select_option("urgent")
    admin.locator("input[name=default_due_days]").fill("7")
    admin.screenshot(path=str(tmp_path / "type-defaults-1366.png"), full_page=True)
    submit(admin, admin.get_by_role("button", name="บันทึก"))
    expect(admin.locator(".alert-success")).to_contain_text("หนังสือใหม่ประเภทนี้จะเริ่มด้วยค่าเหล่านี้")

    clerk = open_browser_as("saraban", DEMO_PASSWORD, viewport=PHONE_390)
    with clerk.expect_navigation():  # its scripts have run once the page has loaded
        menu_link(clerk, "/documents/receive").click()
    form = clerk.locator("main form[enctype='multipart/form-data']")
    speed, due_days = form.locator("select[name=speed]"), form.locator("input[name=due_days]")
    type_select = form.locator("select[name=type_id]")
    type_select.select_option(label=name)
    expect(speed).to_have_value("urgent")
    expect(due_days).to_have_value("7")
    # a due date typed as clerks type it replaces the days that came from the type
    form.locator("input[name=due_date]").fill("๑๕/๐๑/๒๕๗๐")
    expect(due_days).to_have_value("")
    form.locator("textarea[name=subject]").fill("ขอความอนุเคราะห์ใช้สถานที่จัดประชุม")
    form.locator("input[name=from_text]").fill("โรงเรียนเลยพิทยาคม")
    assert has_no_horizontal_scroll(clerk)
    clerk.screenshot(path=str(tmp_path / "type-defaults-390.png"), full_page=True)
    submit(clerk, form.locator("button[type=submit]"))
    expect(clerk).to_have_url(RECEIPT_PATH)
    clerk.goto(clerk.url.split("/receipt")[0])
    expect(clerk.locator("main")).to_contain_text("15 มกราคม 2570")

    # the clerk's own choice first: choosing the type afterwards keeps it
    with clerk.expect_navigation():  # its scripts have run once the page has loaded
        menu_link(clerk, "/documents/receive").click()
    form = clerk.locator("main form[enctype='multipart/form-data']")
    form.locator("select[name=speed]").select_option("most_urgent")
    form.locator("select[name=type_id]").select_option(label=name)
    expect(form.locator("select[name=speed]")).to_have_value("most_urgent")
    expect(form.locator("input[name=due_days]")).to_have_value("7")
