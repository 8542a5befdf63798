"""The chief's home page tells the truth about signing (issue 14 item 4, R7), in the browser.

A กอง of its own (made with the factories) receives two letters; its operator proposes both to its chief. The
chief signs both from "To sign", the clerk closes both, and the chief's ลงนามแล้ว still says 2 and opens a
list of those two letters. The table of document kinds says the same, and the page fits a 390 px phone.
"""
import re
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import services as handling
from app.handling.queries import open_handling
from app.routing import services as routing
from tests.e2e.conftest import elements_cut_off, submit
from tests.factories import DEFAULT_PASSWORD, make_unit, make_user

pytestmark = pytest.mark.e2e

WIDE, PHONE_390 = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
SHOTS = Path("/tmp/e2e-dashboard-truth")
ROW = "[data-testid=dashboard-row]"
CLOSED = "ปิดงานแล้ว"


@pytest.fixture
def org(e2e_app):
    """Unit A sends two letters to unit B; B's operator has proposed both to B's chief."""
    tag = uuid.uuid4().hex[:6]
    with e2e_app.app_context():
        a = make_unit(code=f"e2et-a-{tag}", name_th=f"กองส่งทดสอบ {tag}", letter_code="ลย 51911")
        b = make_unit(code=f"e2et-b-{tag}", name_th=f"กองรับทดสอบ {tag}", letter_code="ลย 51912")
        people = {key: make_user(unit=unit, roles=(role,), username=f"e2et-{key}-{tag}",
                                 full_name_th=f"นายทดสอบ {key}{tag}")
                  for key, unit, role in (("clerk-a", a, "clerk"), ("clerk-b", b, "clerk"),
                                          ("operator-b", b, "operator"), ("chief-b", b, "manager"))}
        external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
        subjects = [f"ขออนุมัติจัดซื้อ ฉบับที่ {n} {tag}" for n in (1, 2)]
        for subject in subjects:
            document = create_document(Actor(user=people["clerk-a"]), owner_unit=a,
                                       details=DocumentDetails(type=external, subject=subject))
            [delivery] = routing.send(Actor(user=people["clerk-a"]), document, from_unit=a, to_units=[b])
            handling.register_delivery(Actor(user=people["clerk-b"]), delivery)
            work = open_handling(document, b)
            handling.assign(Actor(user=people["clerk-b"]), work, operator=people["operator-b"])
            handling.propose(Actor(user=people["operator-b"]), work, reviewer=people["chief-b"])
        db.session.commit()
        return SimpleNamespace(subjects=subjects, kind=external.name_th, clerk=people["clerk-b"].username,
                               chief=people["chief-b"].username)


def signed_tile(page):
    return page.get_by_test_id("tile-signed").get_by_test_id("tile-count")


def test_the_chief_still_sees_the_two_letters_they_signed_after_the_clerk_closed_them(open_browser_as, org):
    chief = open_browser_as(org.chief, DEFAULT_PASSWORD, viewport=WIDE)
    expect(signed_tile(chief)).to_have_text("0")
    expect(chief.get_by_test_id("tile-awaiting_signature").get_by_test_id("tile-count")).to_have_text("2")

    # the chief signs both from "To sign" (the awaiting-signature tile opens it)
    submit(chief, chief.get_by_test_id("tile-awaiting_signature"))
    expect(chief).to_have_url(re.compile(r"/signatures$"))
    for subject in org.subjects:
        row = chief.get_by_test_id("signature-row").filter(has_text=subject)
        submit(chief, row.locator("form[data-step='sign']").get_by_role("button", name="ลงนาม", exact=True))
    expect(chief.get_by_test_id("signature-row")).to_have_count(0)

    # the clerk closes both from My work
    clerk = open_browser_as(org.clerk, DEFAULT_PASSWORD, viewport=WIDE)
    for subject in org.subjects:
        clerk.goto("/tasks")
        row = clerk.locator("main table tbody tr", has_text=subject)
        submit(clerk, row.get_by_role("link", name="ปิดงานหรือส่งต่อ", exact=True))
        close = clerk.locator("main form[data-step='close']")
        close.get_by_label("บันทึกการปิดงาน").fill("ดำเนินการตามที่ลงนามแล้ว")
        submit(clerk, close.get_by_role("button", name="ปิดงาน", exact=True))
        expect(clerk.locator(".alert-success")).to_contain_text(CLOSED)

    # the chief's home: still 2 signed, and the table of kinds agrees
    chief.goto("/")
    expect(signed_tile(chief)).to_have_text("2")
    expect(chief.get_by_test_id("tile-awaiting_signature").get_by_test_id("tile-count")).to_have_text("0")
    kind = chief.get_by_test_id("kind-row").filter(has=chief.locator("th", has_text=org.kind))
    expect(kind.get_by_test_id("kind-signed")).to_have_text("2")
    expect(kind.get_by_test_id("kind-awaiting_signature")).to_have_text("0")
    SHOTS.mkdir(exist_ok=True)
    chief.screenshot(path=SHOTS / "home-1366.png", full_page=True)

    submit(chief, chief.get_by_test_id("tile-signed"))
    expect(chief.locator("main h1")).to_contain_text("ลงนามแล้ว")
    expect(chief.get_by_test_id("list-total")).to_have_text("2")
    rows = chief.locator(ROW)
    expect(rows).to_have_count(2)
    for subject in org.subjects:
        expect(rows.filter(has_text=subject)).to_contain_text(CLOSED)  # signed, and closed since
    chief.screenshot(path=SHOTS / "signed-list-1366.png", full_page=True)

    chief.goto("/")
    submit(chief, kind.get_by_test_id("kind-signed"))
    expect(chief.locator(ROW)).to_have_count(2)


def test_the_chiefs_home_and_signed_list_fit_a_390_px_phone(open_browser_as, org):
    chief = open_browser_as(org.chief, DEFAULT_PASSWORD, viewport=PHONE_390)
    chief.goto("/signatures")
    for subject in org.subjects:
        row = chief.get_by_test_id("signature-row").filter(has_text=subject)
        submit(chief, row.locator("form[data-step='sign']").get_by_role("button", name="ลงนาม", exact=True))
    chief.goto("/")
    expect(signed_tile(chief)).to_have_text("2")
    expect(chief.get_by_test_id("kind-table")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    chief.screenshot(path=SHOTS / "home-390.png", full_page=True)
    assert chief.evaluate("document.documentElement.scrollWidth") <= 390
    assert elements_cut_off(chief) == []

    chief.get_by_label("นับการลงนามในช่วง").select_option("7d")
    submit(chief, chief.get_by_role("button", name="แสดง", exact=True))
    expect(signed_tile(chief)).to_have_text("2")
    submit(chief, chief.get_by_test_id("tile-signed"))
    expect(chief.locator(ROW)).to_have_count(2)
    chief.screenshot(path=SHOTS / "signed-list-390.png", full_page=True)
    assert chief.evaluate("document.documentElement.scrollWidth") <= 390
