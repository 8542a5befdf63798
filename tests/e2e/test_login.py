"""Logging in and out: the Thai home page, a wrong password, and the way back to the login page."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, LOGIN_PATH, login, logout

pytestmark = pytest.mark.e2e


def test_a_demo_user_logs_in_and_sees_the_thai_home_page(page):
    page.goto("/")
    expect(page).to_have_url(LOGIN_PATH)  # nothing is shown before login
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("main h1")).to_have_text("เข้าสู่ระบบ")

    login(page, "saraban", DEMO_PASSWORD)

    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page).to_have_title("หน้าแรก · e-Saraban")
    expect(page.locator("nav")).to_contain_text("หน้าแรก")
    expect(page.locator("nav .app-user-name")).to_have_text("นางสาวกาญจนา บุญมา")
    expect(page.locator("main h1")).to_have_text("ยินดีต้อนรับ นางสาวกาญจนา บุญมา")
    expect(page.locator("main")).to_contain_text("เจ้าพนักงานธุรการ · ฝ่ายบริหารงานทั่วไป")
    expect(page.locator("nav")).not_to_contain_text("จัดการระบบ")  # a clerk is not an administrator


def test_a_wrong_password_is_refused_with_a_thai_message(page, make_account):
    username = make_account()

    login(page, username, "Wrong-password-1", expect_home=False)

    expect(page).to_have_url(LOGIN_PATH)
    expect(page.locator(".alert-danger")).to_have_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    expect(page.locator("input[name=username]")).to_have_value(username)  # kept, to try again
    expect(page.locator("nav")).not_to_contain_text("ออกจากระบบ")
    page.goto("/")
    expect(page).to_have_url(LOGIN_PATH)


def test_logging_out_returns_to_the_login_page_and_closes_the_session(page):
    login(page, "palad.officer", DEMO_PASSWORD)
    expect(page.locator("nav .app-user-name")).to_have_text("นายธนากร เชียงคาน")

    logout(page)

    expect(page.locator(".alert-info")).to_have_text("ออกจากระบบเรียบร้อยแล้ว")
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("nav")).not_to_contain_text("นายธนากร เชียงคาน")
    page.goto("/")
    expect(page).to_have_url(LOGIN_PATH)
    expect(page.locator(".alert-info")).to_have_text("กรุณาเข้าสู่ระบบเพื่อดำเนินการต่อ")
