"""Issue 15 item 4 in the browser: the admin issues a signing certificate, the user sets a signing PIN on a
phone-sized screen (390 px) and gets the certificate; the admin then sees it in use and can revoke it."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ACCOUNT_PASSWORD, DESKTOP, reveal_in_menu, submit

pytestmark = pytest.mark.e2e
PHONE_390 = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "390px"])
def test_admin_issues_a_certificate_and_the_user_sets_a_pin_to_receive_it(open_browser_as, make_account,
                                                                          viewport):
    username = make_account(full_name_th="นายลงนาม ทดลองใช้")
    admin = open_browser_as("admin", viewport=viewport)
    admin.goto("/admin/signing")
    row = admin.get_by_test_id(f"signing-row-{username}")
    expect(row).to_contain_text("นายลงนาม ทดลองใช้")
    expect(row).to_contain_text("ยังไม่ตั้ง")
    submit(admin, row.get_by_role("button", name="ออกใบรับรอง"))
    expect(admin.locator(".alert-success")).to_contain_text("ออกใบรับรองแล้ว")
    expect(admin.get_by_test_id(f"signing-row-{username}").get_by_test_id("certificate-status")).to_have_text(
        "รอผู้ใช้ตั้ง PIN สำหรับลงนาม")
    no_sideways_scroll(admin)

    user = open_browser_as(username, ACCOUNT_PASSWORD, viewport=viewport)
    reveal_in_menu(user, user.get_by_role("link", name="การลงนาม")).click()
    expect(user.locator("main h1")).to_have_text("การลงนาม")
    expect(user.get_by_test_id("certificate-pending")).to_be_visible()
    pin_box = user.get_by_test_id("signing-pin")
    pin_box.get_by_label("PIN สำหรับลงนามใหม่").fill("12345")
    pin_box.get_by_label("ยืนยัน PIN สำหรับลงนาม").fill("12345")
    submit(user, pin_box.get_by_role("button", name="ตั้ง PIN"))
    expect(user.locator(".alert-danger")).to_contain_text("PIN สำหรับลงนามต้องยาว 6 ถึง 64 ตัวอักษร")

    pin_box = user.get_by_test_id("signing-pin")
    pin_box.get_by_label("PIN สำหรับลงนามใหม่").fill("ภูกระดึง-2569")
    pin_box.get_by_label("ยืนยัน PIN สำหรับลงนาม").fill("ภูกระดึง-2569")
    submit(user, pin_box.get_by_role("button", name="ตั้ง PIN"))
    expect(user.locator(".alert-success")).to_contain_text("ตั้ง PIN สำหรับลงนามแล้ว")
    certificate = user.get_by_test_id("signing-certificate")
    expect(certificate).to_contain_text("ใช้งานอยู่")
    expect(certificate).to_contain_text("นายลงนาม ทดลองใช้")
    expect(certificate.get_by_test_id("certificate-validity")).to_contain_text("25")  # พ.ศ. 25xx
    expect(user.get_by_test_id("signing-pin")).to_contain_text("เปลี่ยน PIN สำหรับลงนาม")
    no_sideways_scroll(user)

    admin.reload()
    row = admin.get_by_test_id(f"signing-row-{username}")
    expect(row.get_by_test_id("certificate-status")).to_have_text("ใช้งานอยู่")
    expect(row).to_contain_text("ตั้งแล้ว")
    admin.once("dialog", lambda dialog: dialog.accept())
    row.locator("select[name=reason]").select_option("cessation_of_operation")
    submit(admin, row.get_by_role("button", name="เพิกถอน"))
    expect(admin.locator(".alert-success")).to_contain_text("เพิกถอนใบรับรองและเผยแพร่ CRL แล้ว")
    expect(admin.get_by_test_id(f"signing-row-{username}").get_by_test_id("certificate-status")).to_have_text(
        "ถูกเพิกถอน")
