"""How the pages look: phone width without sideways scrolling, the collapsed menu, the Sarabun font, and no
script or style blocked by the Content-Security-Policy."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (DEMO_PASSWORD, DESKTOP, PHONE, elements_cut_off, has_no_horizontal_scroll,
                                login, logout_button, sarabun_in_use, submit)

pytestmark = pytest.mark.e2e

OPENED_MENU = re.compile(r"(^|\s)show(\s|$)")


def test_the_login_page_fits_a_phone(page, tmp_path):
    page.set_viewport_size(PHONE)
    page.goto("/login")

    assert has_no_horizontal_scroll(page)
    assert elements_cut_off(page) == []
    expect(page.locator("input[name=username]")).to_be_in_viewport()
    expect(page.locator("main form button[type=submit]")).to_be_in_viewport()
    page.screenshot(path=tmp_path / "login-375.png", full_page=True)


def test_the_home_page_fits_a_phone_and_the_menu_opens(page, tmp_path):
    page.set_viewport_size(PHONE)
    login(page, "finance.director", DEMO_PASSWORD)

    assert has_no_horizontal_scroll(page)
    assert elements_cut_off(page) == []
    expect(page.locator("main h1")).to_have_text("ยินดีต้อนรับ นางรัตนา ทองดี")
    page.screenshot(path=tmp_path / "home-375.png", full_page=True)

    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(logout_button(page)).to_be_hidden()  # the menu starts collapsed
    toggler.click()
    expect(page.locator("#main-nav")).to_have_class(OPENED_MENU)  # the slide-down animation has finished
    expect(page.locator("nav .app-user-name")).to_be_in_viewport()
    page.locator("#menu-user").click()  # the user's menu opens within the collapsed one
    expect(logout_button(page)).to_be_in_viewport()
    expect(logout_button(page)).to_have_text("ออกจากระบบ")
    expect(page.locator("nav .app-user-name")).to_be_in_viewport()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "home-375-menu.png", full_page=True)

    submit(page, logout_button(page))
    expect(page.locator("input[name=username]")).to_be_in_viewport()


def test_the_admin_pages_fit_a_phone(page):
    page.set_viewport_size(PHONE)
    login(page, "admin", DEMO_PASSWORD)
    for path in ("/admin/units", "/admin/units/new", "/admin/users", "/admin/users/new", "/admin/delegations",
                 "/account/password"):
        page.goto(path)
        assert has_no_horizontal_scroll(page), path
        assert elements_cut_off(page) == [], path


def test_the_home_page_on_a_desktop_shows_the_whole_menu(page, tmp_path):
    page.set_viewport_size(DESKTOP)
    login(page, "admin", DEMO_PASSWORD)

    expect(page.locator(".navbar-toggler")).to_be_hidden()
    expect(page.locator("nav").get_by_role("link", name="จัดการระบบ")).to_be_visible()
    expect(logout_button(page)).to_be_hidden()  # in the user's menu, which opens from the name
    page.locator("#menu-user").click()
    expect(logout_button(page)).to_be_visible()
    assert has_no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "home-1280.png", full_page=True)


def test_pages_load_in_sarabun_without_console_errors_or_csp_violations(page, browser_problems):
    def check(path):
        assert sarabun_in_use(page), f"Sarabun is not used on {path}"

    page.goto("/login")
    check("/login")
    login(page, "admin", DEMO_PASSWORD)
    for path in ("/", "/account/password", "/admin/units", "/admin/units/new", "/admin/users",
                 "/admin/users/new", "/admin/delegations"):
        response = page.goto(path)
        assert response.ok, path
        check(path)
    page.goto("/admin/users")
    with page.expect_navigation():
        page.locator("tbody a").first.click()  # one user's page
    check(page.url)

    assert browser_problems.console_errors == []
    assert browser_problems.csp_violations == []
    assert browser_problems.page_errors == []


def test_the_browser_finds_an_icon_for_the_tab(page):
    page.goto("/login")
    href = page.locator("link[rel~=icon]").first.get_attribute("href")
    assert page.request.get(href).ok
