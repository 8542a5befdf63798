"""Issue 14 item 1 in the browser: a clerk types dates the Thai way (พ.ศ., Thai digits, the form of a PDF) or
picks one from a calendar in พ.ศ., on a phone; a date that cannot be meant gets a Thai message, stays in the
box, and nothing is registered. The old trap, 2569-11-28 typed as if into the browser's own date box, is
read as the Buddhist year it is, not stored as the year 3112."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.core.thai_dates import THAI_MONTHS, thai_digits, today_local
from app.documents.models import Document
from app.extensions import db
from tests.e2e.conftest import submit, unique_subject

pytestmark = pytest.mark.e2e
PHONE_390 = {"width": 390, "height": 844}


def open_receive_form(page):
    page.goto("/documents/receive")
    form = page.locator("main form[enctype='multipart/form-data']")
    type_select = form.locator("select[name=type_id]")
    type_select.select_option(type_select.locator("option", has_text="หนังสือภายนอก").first.get_attribute("value"))
    return form


def long_thai(day):
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


def open_the_document(page):
    """From the receipt stamp, as the clerk does."""
    with page.expect_navigation():
        page.get_by_role("link", name="เปิดหนังสือ").click()


def documents_titled(e2e_app, subject):
    with e2e_app.app_context():
        return db.session.scalar(select(func.count()).select_from(Document).where(Document.subject == subject))


def test_a_clerk_on_a_phone_types_thai_digits_and_picks_the_due_date_from_a_buddhist_calendar(
        open_browser_as, tmp_path):
    page = open_browser_as("saraban", viewport=PHONE_390)
    dated = today_local() - timedelta(days=3)
    form = open_receive_form(page)
    subject = unique_subject()
    form.locator("textarea[name=subject]").fill(subject)
    form.locator("input[name=dated]").fill(thai_digits(f"{dated.day}/{dated.month}/{dated.year + 543}"))

    due_box = form.locator("input[name=due_date]")
    due_box.locator("xpath=..").get_by_role("button", name="เลือกวันที่จากปฏิทิน พ.ศ.").click()
    calendar = page.get_by_role("dialog", name="ปฏิทิน พ.ศ.")
    this_month = today_local().replace(day=1)
    expect(calendar).to_contain_text(f"{THAI_MONTHS[this_month.month - 1]} {this_month.year + 543}")
    calendar.get_by_role("button", name="เดือนถัดไป").click()
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    expect(calendar).to_contain_text(f"{THAI_MONTHS[next_month.month - 1]} {next_month.year + 543}")
    page.screenshot(path=tmp_path / "calendar-390.png", full_page=True)
    calendar.locator("[data-day='15']").click()
    due = next_month.replace(day=15)
    expect(due_box).to_have_value(f"15/{due.month:02d}/{due.year + 543}")
    expect(calendar).to_have_count(0)

    submit(page, form.locator("button[type=submit]"))
    open_the_document(page)
    details = page.locator(".app-details")
    expect(details).to_contain_text(long_thai(dated))
    expect(details).to_contain_text(long_thai(due))
    page.screenshot(path=tmp_path / "document-390.png", full_page=True)


def test_a_date_that_cannot_be_meant_is_explained_in_thai_and_nothing_is_registered(open_browser_as, e2e_app):
    page = open_browser_as("saraban")
    form = open_receive_form(page)
    subject = unique_subject()
    form.locator("textarea[name=subject]").fill(subject)
    form.locator("input[name=dated]").fill("31/02/2569")

    submit(page, form.locator("button[type=submit]"))

    expect(page.locator(".invalid-feedback")).to_contain_text("ไม่มีวันนี้ในปฏิทิน")
    expect(page.locator("input[name=dated]")).to_have_value("31/02/2569")
    assert documents_titled(e2e_app, subject) == 0


def test_a_buddhist_year_typed_year_first_is_not_stored_543_years_ahead(open_browser_as):
    page = open_browser_as("saraban")
    form = open_receive_form(page)
    subject = unique_subject()
    form.locator("textarea[name=subject]").fill(subject)
    form.locator("input[name=dated]").fill("2569-11-28")

    submit(page, form.locator("button[type=submit]"))
    open_the_document(page)

    details = page.locator(".app-details")
    expect(details).to_contain_text(long_thai(date(2026, 11, 28)))
    expect(details).not_to_contain_text("3112")
