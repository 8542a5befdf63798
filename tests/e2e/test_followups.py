"""R30 in the browser: a clerk follows a letter from its page and finds it on the follow-up screen, with
where it waits now; stopping takes it off."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import menu_link, register_letter, submit, unique_subject

pytestmark = pytest.mark.e2e


def test_a_clerk_follows_a_letter_and_finds_it_on_the_follow_up_screen(open_browser_as):
    clerk = open_browser_as("saraban")
    subject = unique_subject("ขอเชิญประชุมติดตามงาน")
    receipt = register_letter(clerk, subject)
    clerk.goto(f"/documents/{receipt.document_id}")
    submit(clerk, clerk.get_by_role("button", name="ติดตาม", exact=True))
    expect(clerk.get_by_role("button", name=re.compile("ติดตามอยู่"))).to_be_visible()

    menu_link(clerk, "/following").click()
    expect(clerk.locator("main h1")).to_have_text("รายการติดตามหนังสือ")
    row = clerk.locator("[data-testid=followed-row]", has_text=subject)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("เริ่มดำเนินการในหน่วยงาน")  # the latest step: registered, work started
    expect(row).to_contain_text("ฝ่ายบริหารงานทั่วไป · รอธุรการส่งต่อภายในหน่วยงาน")
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"ไม่ถึง 1 นาที|\d+ นาที"))

    submit(clerk, row.get_by_role("link", name=subject))
    submit(clerk, clerk.get_by_role("button", name=re.compile("ติดตามอยู่")))
    clerk.goto("/following")
    expect(clerk.locator("[data-testid=followed-row]", has_text=subject)).to_have_count(0)
