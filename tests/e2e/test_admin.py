"""The administrator adds a section and a user in it; the new user's first login forces a new password."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (DEMO_PASSWORD, HOME_PATH, PASSWORD_PATH, change_password, login, logout,
                                submit, unique_name)

pytestmark = pytest.mark.e2e


def select_option_by_text(page, select_name, pattern):
    """Choose the option of a select box whose visible text matches (unit names are indented with '— ')."""
    select = page.locator(f"select[name={select_name}]")
    value = select.locator("option").filter(has_text=pattern).first.get_attribute("value")
    select.select_option(value)


def test_an_admin_adds_a_section_and_a_user_who_then_logs_in_for_the_first_time(page):
    code = unique_name("e2e.sec.")
    section_th = f"ฝ่ายทดสอบระบบ {code[-8:]}"
    username = unique_name("e2e.new.")
    first_password = "Naduang2569"
    own_password = "Dansai25690"

    login(page, "admin", DEMO_PASSWORD)
    page.locator("nav").get_by_role("link", name="จัดการระบบ").click()
    expect(page).to_have_url(re.compile(r"/admin/units$"))

    page.get_by_role("link", name="เพิ่มหน่วยงาน", exact=True).click()
    expect(page.locator("main h1")).to_have_text("เพิ่มหน่วยงาน")
    select_option_by_text(page, "parent_id", re.compile(r"^[— ]*สำนักปลัด$"))
    page.locator("select[name=kind]").select_option("section")
    page.locator("input[name=name_th]").fill(section_th)
    page.locator("input[name=name_en]").fill("System Test Section")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=letter_code]").fill("ลย 51001")
    submit(page, page.get_by_role("button", name="บันทึก"))

    expect(page).to_have_url(re.compile(r"/admin/units$"))
    expect(page.locator(".alert-success")).to_have_text("เพิ่มหน่วยงานแล้ว")
    expect(page.locator(".app-tree").get_by_role("link", name=section_th)).to_be_visible()

    page.locator(".nav-tabs").get_by_role("link", name="ผู้ใช้", exact=True).click()
    page.get_by_role("link", name="เพิ่มผู้ใช้", exact=True).click()
    expect(page.locator("main h1")).to_have_text("เพิ่มผู้ใช้")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(first_password)
    page.locator("input[name=full_name_th]").fill("นางสาวสมใจ ทดสอบ")
    page.locator("input[name=position_title]").fill("หัวหน้าฝ่ายทดสอบระบบ")
    select_option_by_text(page, "unit_id", section_th)
    page.locator("input[name=roles][value=manager]").check()
    page.locator("input[name=roles][value=operator]").check()
    page.locator("select[name=manager_level]").select_option("section_head")
    submit(page, page.get_by_role("button", name="บันทึก"))

    expect(page).to_have_url(re.compile(r"/admin/users\?unit=\d+$"))
    expect(page.locator(".alert-success")).to_contain_text("เพิ่มผู้ใช้แล้ว")
    new_row = page.locator("tbody tr", has_text=username)
    expect(new_row).to_contain_text("นางสาวสมใจ ทดสอบ")
    expect(new_row).to_contain_text(section_th)
    logout(page)

    login(page, username, first_password, expect_home=False)
    expect(page).to_have_url(PASSWORD_PATH)
    expect(page.locator(".alert-warning")).to_have_text("กรุณาตั้งรหัสผ่านใหม่ก่อนดำเนินการต่อ")
    page.goto("/")  # nothing else opens until the password is changed
    expect(page).to_have_url(PASSWORD_PATH)

    change_password(page, first_password, own_password)

    expect(page).to_have_url(HOME_PATH)
    expect(page.locator(".alert-success")).to_have_text("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว")
    expect(page.locator("main h1")).to_have_text("ยินดีต้อนรับ นางสาวสมใจ ทดสอบ")
    expect(page.locator("main")).to_contain_text(f"หัวหน้าฝ่ายทดสอบระบบ · {section_th}")
    roles = page.locator("main ul li")
    expect(roles.filter(has_text="ผู้บริหาร")).to_contain_text("หัวหน้าฝ่าย")
    expect(roles.filter(has_text="ผู้ปฏิบัติงาน")).to_contain_text(section_th)
    expect(page.locator("nav")).not_to_contain_text("จัดการระบบ")


def test_a_non_admin_cannot_open_the_admin_pages(page):
    login(page, "saraban", DEMO_PASSWORD)

    response = page.goto("/admin/users")

    assert response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "th")
