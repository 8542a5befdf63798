"""A user's own settings: the language of the pages, and the password."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (ACCOUNT_PASSWORD, HOME_PATH, LOGIN_PATH, PASSWORD_PATH, change_password,
                                login, logout, reveal_in_menu, switch_language)

pytestmark = pytest.mark.e2e


def test_switching_to_english_lasts_for_that_user_across_logins(page, make_account):
    username = make_account(full_name_th="นางสาวดวงใจ ภูเรือ", full_name_en="Duangjai Phurua")
    login(page, username, ACCOUNT_PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "th")

    switch_language(page, "English")

    expect(page).to_have_url(HOME_PATH)  # the same page again, now in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator("nav")
    expect(nav).to_contain_text("Home")
    reveal_in_menu(page, nav.get_by_role("button", name="Log out"))
    expect(nav.get_by_role("link", name="Change password")).to_be_visible()
    expect(nav.locator(".app-user-name")).to_have_text("Duangjai Phurua")
    expect(page.locator("main h1")).to_have_text("Welcome, Duangjai Phurua")
    expect(page.locator("main")).to_contain_text("General Administration Section")
    expect(nav).not_to_contain_text("หน้าแรก")

    logout(page)
    login(page, username, ACCOUNT_PASSWORD)

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav")).to_contain_text("Log out")
    expect(page.locator("main h1")).to_have_text("Welcome, Duangjai Phurua")

    switch_language(page, "ภาษาไทย")

    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("nav")).to_contain_text("หน้าแรก")
    expect(page.locator("nav")).to_contain_text("ออกจากระบบ")
    expect(page.locator("main h1")).to_have_text("ยินดีต้อนรับ นางสาวดวงใจ ภูเรือ")


def test_the_language_switch_on_a_deeper_page_stays_on_that_page(page, make_account):
    username = make_account()
    login(page, username, ACCOUNT_PASSWORD)
    reveal_in_menu(page, page.get_by_role("link", name="เปลี่ยนรหัสผ่าน")).click()
    expect(page).to_have_url(PASSWORD_PATH)

    switch_language(page, "English")

    expect(page).to_have_url(PASSWORD_PATH)
    expect(page.locator("main h1")).to_have_text("Change password")
    expect(page.get_by_label("Current password")).to_be_visible()


def test_a_user_changes_the_password_and_only_the_new_one_works(page, make_account):
    username = make_account()
    new_password = "Chiangkhan2570"
    login(page, username, ACCOUNT_PASSWORD)

    reveal_in_menu(page, page.locator("nav").get_by_role("link", name="เปลี่ยนรหัสผ่าน")).click()
    expect(page.locator("main h1")).to_have_text("เปลี่ยนรหัสผ่าน")
    change_password(page, ACCOUNT_PASSWORD, new_password)

    expect(page).to_have_url(HOME_PATH)
    expect(page.locator(".alert-success")).to_have_text("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว")
    logout(page)

    login(page, username, ACCOUNT_PASSWORD, expect_home=False)
    expect(page).to_have_url(LOGIN_PATH)
    expect(page.locator(".alert-danger")).to_have_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")

    login(page, username, new_password)
    expect(page.locator("main h1")).to_contain_text("ยินดีต้อนรับ")


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(page, make_account):
    username = make_account()
    login(page, username, ACCOUNT_PASSWORD)
    page.goto("/account/password")

    change_password(page, ACCOUNT_PASSWORD, f"{username}99")  # contains the username

    expect(page).to_have_url(PASSWORD_PATH)
    expect(page.locator(".alert-danger")).to_contain_text("ไม่มีชื่อผู้ใช้")
    logout(page)
    login(page, username, ACCOUNT_PASSWORD)
