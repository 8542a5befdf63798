"""A clerk of two units that both hold a letter (issue 14): the clerk of กองช่าง who today also acts for the
clerk of กองยุทธศาสตร์และงบประมาณ (รักษาราชการแทน). A letter of กองช่าง is delivered to กองยุทธฯ; she registers
it there, picks กองยุทธฯ's task in งานของฉัน, and the page says whose copy she is acting for and lets her
switch. Sending it on from there goes from กองยุทธฯ (the route and the Sent list say so), ends that unit's
step, and leaves กองช่าง's own step where it was."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.actor import Actor
from app.core.thai_dates import today_local
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails
from app.extensions import db
from app.handling import services as handling
from app.org import services as org_services
from app.org.queries import unit_by_code, user_by_username
from app.routing import services as routing
from tests.e2e.conftest import ACCOUNT_PASSWORD, SYSTEM, pick_units, reveal, submit, unique_subject

pytestmark = pytest.mark.e2e

OWNER, HOLDER, ONWARD = "กองช่าง", "กองยุทธศาสตร์และงบประมาณ", "กองการศึกษา ศาสนาและวัฒนธรรม"
TRIAGE_TASK = "พิจารณาส่งต่อภายในหน่วยงาน"
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def two_unit_clerk(e2e_app, make_account):
    """A new clerk of กองช่าง, acting today for the clerk of กองยุทธฯ; a letter by post registered at กองช่าง
    (its clerk's step open) with a copy delivered to กองยุทธฯ, still waiting there."""
    username = make_account(prefix="twounits", unit_code="engineering", roles=(("clerk", None),),
                            full_name_th="นางสาวสมศรี สองกอง")
    subject = unique_subject("ขอความร่วมมือสำรวจข้อมูลผู้สูงอายุในพื้นที่")
    with e2e_app.app_context():
        clerk = user_by_username(username)
        org_services.add_delegation(SYSTEM, principal=user_by_username("strategy.clerk"), deputy=clerk,
                                    starts_on=today_local(), ends_on=today_local(), note="ไปราชการ (ทดสอบ)")
        external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
        document, _ = handling.receive_paper_letter(
            Actor(user=clerk), unit=unit_by_code("engineering"),
            details=DocumentDetails(type=external, subject=subject, from_text="อำเภอเมืองเลย"))
        routing.send(Actor(user=clerk), document, from_unit=unit_by_code("engineering"),
                     to_units=[unit_by_code("strategy")], note="สำเนาเพื่อดำเนินการในส่วนที่เกี่ยวข้อง")
        db.session.commit()
        return username, subject, f"/documents/{document.id}"


def task_row(page, subject, unit):
    return page.locator("main table tbody tr", has_text=subject).filter(has_text=unit)


def acting_for(page):
    return page.get_by_test_id("acting-for")


def test_acting_on_the_second_units_copy_sends_from_that_unit_and_leaves_the_owners_step(
        open_browser_as, two_unit_clerk):
    username, subject, document_path = two_unit_clerk
    clerk = open_browser_as(username, password=ACCOUNT_PASSWORD, viewport=DESKTOP)

    # the copy waits at กองยุทธฯ: as that unit's clerk she registers it from the page
    clerk.goto(document_path)
    register = clerk.get_by_test_id("primary-action").locator("form[action$='/register'] button")
    expect(register).to_have_text("ลงรับ (ออกเลขทะเบียนรับ)")
    submit(clerk, register)
    expect(clerk.locator(".alert-success")).to_contain_text("ลงรับ")

    # งานของฉัน: one task of each unit; she picks กองยุทธฯ's
    clerk.goto("/tasks")
    expect(task_row(clerk, subject, OWNER)).to_have_count(1)
    expect(task_row(clerk, subject, HOLDER)).to_have_count(1)
    with clerk.expect_navigation():
        task_row(clerk, subject, HOLDER).get_by_role("link", name=TRIAGE_TASK).click()
    expect(clerk).to_have_url(re.compile(r"/documents/\d+\?unit=\d+$"))

    # the page says whose copy she acts for, and offers the other; both have a step waiting for her
    expect(acting_for(clerk)).to_contain_text(f"เป็นการดำเนินการของ {HOLDER}")
    expect(acting_for(clerk).locator("a[aria-current=true]")).to_contain_text(HOLDER)
    expect(acting_for(clerk).locator("a")).to_have_count(2)
    expect(acting_for(clerk).locator("a", has_text="มีงานรอท่าน")).to_have_count(2)

    # she may switch to กองช่าง's copy and back: the page follows her choice
    with clerk.expect_navigation():
        acting_for(clerk).locator("a", has_text=OWNER).click()
    expect(acting_for(clerk)).to_contain_text(f"เป็นการดำเนินการของ {OWNER}")
    expect(clerk.locator("main form[action$='/send'] [data-testid=send-from]")).to_have_text(
        f"ส่งในนามของ {OWNER}")
    with clerk.expect_navigation():
        acting_for(clerk).locator("a", has_text=HOLDER).click()
    expect(acting_for(clerk)).to_contain_text(f"เป็นการดำเนินการของ {HOLDER}")

    # send it on from กองยุทธฯ's copy: the form says from whom
    send = reveal(clerk, clerk.locator("main form[action$='/send']"))
    expect(send.get_by_test_id("send-from")).to_have_text(f"ส่งในนามของ {HOLDER}")
    pick_units(send, "to_unit_ids", [ONWARD])
    send.locator("textarea[name=note]").fill("เพื่อโปรดพิจารณาดำเนินการ")
    submit(clerk, send.locator("button[type=submit]"))
    expect(clerk.locator(".alert-success")).to_contain_text("ส่งหนังสือเรียบร้อยแล้ว")

    # กองยุทธฯ's step has ended; กองช่าง's is still there, hers to take
    holder_work = clerk.get_by_test_id("handling").filter(has_text=f"การดำเนินการใน {HOLDER}")
    expect(holder_work.get_by_test_id("handling-status")).to_have_text("ส่งต่อหน่วยงานอื่นแล้ว")
    owner_work = clerk.get_by_test_id("handling").filter(has_text=f"การดำเนินการใน {OWNER}")
    expect(owner_work).to_contain_text(TRIAGE_TASK)
    expect(clerk.get_by_test_id("todo")).to_contain_text(TRIAGE_TASK)
    clerk.goto("/tasks")
    expect(task_row(clerk, subject, HOLDER)).to_have_count(0)
    expect(task_row(clerk, subject, OWNER)).to_have_count(1)

    # the route and the Sent list show กองยุทธฯ as the sender
    clerk.goto(f"{document_path}/route")
    onward = clerk.locator("main table tbody tr", has_text=ONWARD)
    expect(onward.locator("td").first).to_have_text(HOLDER)
    clerk.goto("/sent")
    sent = clerk.locator("main table tbody tr", has_text=subject).filter(has_text=ONWARD)
    expect(sent.get_by_test_id("sent-from")).to_have_text(HOLDER)

    # and กองการศึกษาฯ finds it from กองยุทธฯ
    education = open_browser_as("education.clerk", viewport=DESKTOP)
    education.goto("/inbox")
    expect(education.locator("main table tbody tr", has_text=subject)).to_contain_text(HOLDER)
