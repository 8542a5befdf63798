"""The home page's numbers in the browser (R7): every number opens a list with that many letters, and a
manager sees a table of their units with three charts.

The demo organisation's กองคลัง receives letters from ฝ่ายบริหารงานทั่วไป (made through the services, with
due dates in the past and today): its clerk registers them, its officer in ฝ่ายบัญชี works on one that the
director signs, and a letter it sent to กองช่าง comes back. Other browser tests send letters to กองคลัง too,
so the numbers are read from the page, never assumed; only "at least ours" is.
"""
import re
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.actor import Actor
from app.core.thai_dates import buddhist_year, format_date, today_local
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.handling.queries import open_handling
from app.org.queries import unit_by_code, user_by_username
from app.routing import services as routing
from tests.e2e.conftest import PHONE, elements_cut_off, has_no_horizontal_scroll, submit

pytestmark = pytest.mark.e2e

FINANCE, ACCOUNTING, REVENUE = "กองคลัง", "ฝ่ายบัญชี", "ฝ่ายพัฒนารายได้"
PAGE_SIZE = 50

# The rows of the list each number opens, as that list marks them.
ROWS = {
    "new_arrivals": "main table tbody tr.app-new-item",
    "awaiting_registration": "main table tbody tr",
    "my_tasks": "[data-testid=task-row]",
    "awaiting_signature": "[data-testid=signature-row]",
    "following": "[data-testid=followed-row]",
}
DASHBOARD_ROW = "[data-testid=dashboard-row]"
HOME_PATH = re.compile(r"/$")


# ---- the letters, made through the services -------------------------------------------------------------

def _letter(owner_code, sender, subject, due_date=None):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    return create_document(Actor(user=user_by_username(sender)), owner_unit=unit_by_code(owner_code),
                           details=DocumentDetails(type=external, subject=subject, due_date=due_date))


def _send(document, sender, from_code, to_code):
    [delivery] = routing.send(Actor(user=user_by_username(sender)), document,
                              from_unit=unit_by_code(from_code), to_units=[unit_by_code(to_code)])
    return delivery


def _arrive_at_finance(subject, due_date=None):
    document = _letter("palad.general", "saraban", subject, due_date)
    delivery = _send(document, "saraban", "palad.general", "finance")
    handling.register_delivery(Actor(user=user_by_username("finance.clerk")), delivery)
    return open_handling(document, unit_by_code("finance"))


@pytest.fixture
def letters(e2e_app):
    """กองคลัง's letters: overdue, due today, signed, returned by กองช่าง, and one waiting at ฝ่ายบัญชี."""
    tag = uuid.uuid4().hex[:6]
    with e2e_app.app_context():
        today = today_local(e2e_app.config["BABEL_DEFAULT_TIMEZONE"])
        subjects = SimpleNamespace(overdue=f"ขอข้อมูลงบประมาณ เกินกำหนด {tag}",
                                   due_soon=f"ขอรายงานการเงิน ครบกำหนดวันนี้ {tag}",
                                   signed=f"ขออนุมัติเบิกจ่าย ลงนามแล้ว {tag}",
                                   returned=f"ส่งผิดหน่วยงาน {tag}",
                                   section=f"แจ้งฝ่ายบัญชี {tag}", overdue_date=today - timedelta(days=2))
        _arrive_at_finance(subjects.overdue, subjects.overdue_date)
        _arrive_at_finance(subjects.due_soon, today)
        work = _arrive_at_finance(subjects.signed)
        clerk, officer, director = (user_by_username(name) for name in ("finance.clerk", "finance.officer",
                                                                        "finance.director"))
        handling.assign(Actor(user=clerk), work, operator=officer)
        handling.propose(Actor(user=officer), work, reviewer=director)
        handling.sign(Actor(user=director), work)
        sent = _send(_letter("finance", "finance.clerk", subjects.returned), "finance.clerk", "finance",
                     "engineering")
        routing.return_to_sender(Actor(user=user_by_username("engineering.clerk")), sent,
                                 "ไม่ใช่งานของกองช่าง")
        _send(_letter("palad.general", "saraban", subjects.section), "saraban", "palad.general",
              "finance.accounting")
        db.session.commit()
    return subjects


# ---- what people look at --------------------------------------------------------------------------------

def tile_numbers(page):
    """{tile key: number} as the home page shows them."""
    numbers = {}
    for tile in page.locator("[data-testid^=tile-]:not([data-testid=tile-count])").all():
        key = tile.get_attribute("data-testid").removeprefix("tile-")
        numbers[key] = int(tile.get_by_test_id("tile-count").inner_text())
    return numbers


def expect_list_holds(page, count, rows=DASHBOARD_ROW):
    """The list a number opened shows that many letters: the page's own rows (`rows`), or a dashboard list's
    total and its first page."""
    if rows != DASHBOARD_ROW:
        expect(page.locator(rows)).to_have_count(count)
        return
    expect(page.get_by_test_id("list-total")).to_have_text(str(count))
    expect(page.locator(rows)).to_have_count(min(count, PAGE_SIZE))


def unit_row(page, name):
    return page.get_by_test_id("unit-row").filter(has=page.locator("th", has_text=re.compile(f"^{name}$")))


def cell(page, unit, key):
    return unit_row(page, unit).get_by_test_id(f"cell-{key}")


# ---- the tests ------------------------------------------------------------------------------------------

def test_a_clerk_opens_every_number_and_finds_that_many_letters(open_browser_as, letters):
    clerk = open_browser_as("finance.clerk")
    numbers = tile_numbers(clerk)
    assert {"new_arrivals", "awaiting_registration", "my_tasks", "signed", "returned", "overdue",
            "due_soon", "following"} <= set(numbers)
    assert min(numbers[key] for key in ("signed", "returned", "overdue", "due_soon")) >= 1
    for key, count in numbers.items():
        if count == 0:
            continue
        submit(clerk, clerk.get_by_test_id(f"tile-{key}"))
        expect_list_holds(clerk, count, ROWS.get(key, DASHBOARD_ROW))
        clerk.goto("/")

    submit(clerk, clerk.get_by_test_id("tile-overdue"))
    expect(clerk.locator("main h1")).to_contain_text("เกินกำหนด")
    row = clerk.locator(DASHBOARD_ROW, has_text=letters.overdue)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(format_date(letters.overdue_date))  # the due date, Buddhist Era
    expect(row).to_contain_text(str(buddhist_year(letters.overdue_date)))
    expect(clerk.locator(DASHBOARD_ROW, has_text=letters.due_soon)).to_have_count(0)
    submit(clerk, row.get_by_role("link", name=letters.overdue))
    expect(clerk.locator("main")).to_contain_text(letters.overdue)  # the letter itself opens

    clerk.goto("/")
    submit(clerk, clerk.get_by_test_id("tile-returned"))
    expect(clerk.locator(DASHBOARD_ROW, has_text=letters.returned)).to_contain_text("กองช่าง")
    clerk.goto("/")
    submit(clerk, clerk.get_by_test_id("tile-signed"))
    expect(clerk.locator(DASHBOARD_ROW, has_text=letters.signed)).to_contain_text("ลงนามแล้ว")


def test_a_director_sees_each_unit_below_and_the_charts(open_browser_as, letters):
    director = open_browser_as("finance.director")
    table = director.get_by_test_id("unit-table")
    expect(director.get_by_test_id("unit-row")).to_have_count(3)
    for unit in (FINANCE, ACCOUNTING, REVENUE):
        expect(unit_row(director, unit)).to_have_count(1)
    expect(table).not_to_contain_text("กองช่าง")  # not one of theirs

    checked = 0
    for unit, key in ((FINANCE, "overdue"), (FINANCE, "due_soon"), (FINANCE, "signed"),
                      (FINANCE, "returned"), (FINANCE, "open_work"), (ACCOUNTING, "new_arrivals"),
                      (ACCOUNTING, "awaiting_registration")):
        count = int(cell(director, unit, key).inner_text())
        assert count >= 1, (unit, key)
        submit(director, cell(director, unit, key))
        expect(director.get_by_test_id("list-scope")).to_have_text(unit)
        expect_list_holds(director, count)
        director.goto("/")
        checked += 1
    assert checked == 7
    submit(director, cell(director, ACCOUNTING, "new_arrivals"))
    expect(director.locator(DASHBOARD_ROW, has_text=letters.section)).to_have_count(1)
    director.goto("/")

    registered = director.get_by_test_id("chart-registered")
    expect(registered.locator("svg[role=img]")).to_be_visible()
    expect(registered.get_by_test_id("chart-bar")).to_have_count(12)
    expect(registered.locator("svg tspan").filter(has_text=re.compile(r"^25\d\d$"))).to_have_count(12)
    expect(director.get_by_test_id("chart-median").locator("svg[role=img]")).to_be_visible()
    overdue = director.get_by_test_id("chart-overdue")
    expect(overdue.locator("svg[role=img]")).to_be_visible()
    expect(overdue.locator("desc")).to_contain_text(FINANCE)
    weeks = director.get_by_test_id("weeks-table").locator("tbody tr")
    expect(weeks).to_have_count(12)
    assert int(weeks.last.locator("td").first.inner_text()) >= 3  # at least our three registrations this week


def test_the_managers_home_fits_a_phone(open_browser_as, letters):
    director = open_browser_as("finance.director", viewport=PHONE)
    expect(director).to_have_url(HOME_PATH)
    expect(director.get_by_test_id("chart-overdue").locator("svg")).to_be_visible()
    assert has_no_horizontal_scroll(director)
    assert elements_cut_off(director) == []
