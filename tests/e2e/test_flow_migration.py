"""Issue 16 item 6 in a browser, at a desk and on a phone: the IT officer publishes a version of the work
flow without the manager's instruction step, opens the migration report, sees a document at work that can
move and one waiting for the instruction that cannot (and why), moves the first and sees the result."""
import re
import uuid
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.actor import Actor
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling
from app.workflow import definitions, publishing
from app.workflow.models import WorkflowDefinition, WorkflowInstance
from tests.e2e.conftest import DEMO_PASSWORD, has_no_horizontal_scroll, submit
from tests.e2e.test_letters import PHONE_390
from tests.factories import SYSTEM, make_unit, make_user
from tests.flow_edits import WORK_RENAMED, handling_v2

pytestmark = pytest.mark.e2e
DESK = {"width": 1366, "height": 900}


@pytest.fixture
def under_way(e2e_app):
    """Two letters registered by a unit of their own: one at the operator's work, one with the manager. The
    version current before the test is current again after it, so later tests start on the shipped flow."""
    tag = uuid.uuid4().hex[:6]
    with e2e_app.app_context():
        before_id = definitions.current("handling").id
        unit = make_unit(code=f"e2em-{tag}", name_th=f"กองทดสอบย้ายรุ่น {tag}", letter_code="ลย 51806")
        clerk = make_user(unit=unit, roles=("clerk",), username=f"e2em-clerk-{tag}")
        manager = make_user(unit=unit, roles=("manager",), username=f"e2em-head-{tag}")
        operator = make_user(unit=unit, roles=("operator",), username=f"e2em-op-{tag}")
        at_work, with_manager = (_registered(clerk, unit, f"{what} {tag}")
                                 for what in ("ขอข้อมูลถนนชำรุด", "ขอความเห็นแผนงบประมาณ"))
        handling.assign(Actor(user=clerk), at_work[1], operator=operator)
        handling.to_manager(Actor(user=clerk), with_manager[1], manager=manager)
        db.session.commit()
        letters = SimpleNamespace(at_work=at_work[0].subject, with_manager=with_manager[0].subject,
                                  at_work_instance=at_work[1].workflow_instance_id, unit=unit.name_th,
                                  with_manager_instance=with_manager[1].workflow_instance_id)
    yield letters
    with e2e_app.app_context():
        publishing.make_current(SYSTEM, db.session.get(WorkflowDefinition, before_id))
        db.session.commit()


def _registered(clerk, unit, subject):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document, _ = handling.receive_paper_letter(Actor(user=clerk), unit=unit, details=DocumentDetails(
        type=external, subject=subject, from_text="อำเภอเมืองเลย"))
    db.session.commit()
    return document, handling_queries.open_handling(document, unit)


def test_the_admin_reads_the_dry_run_and_moves_the_documents_that_can_move(
        under_way, open_browser_as, e2e_app, tmp_path):
    diagram = tmp_path / "handling-no-instruction.bpmn"
    diagram.write_text(handling_v2(), encoding="utf-8")
    admin = open_browser_as("admin", DEMO_PASSWORD, viewport=DESK)
    admin.goto("/admin/flows/handling")
    form = admin.locator("main form[enctype]")
    form.locator("input[type=file]").set_input_files(str(diagram))
    form.get_by_label("สิ่งที่เปลี่ยน", exact=False).fill("ตัดขั้นตอนสั่งการ")
    submit(admin, form.get_by_role("button", name="ตรวจสอบและเผยแพร่"))
    newest = admin.get_by_test_id("flow-version").first
    expect(newest.get_by_test_id("flow-running")).to_have_text("เอกสารที่ค้างอยู่ 0 เรื่อง")
    number = re.search(r"รุ่นที่ (\d+)", newest.inner_text()).group(1)
    with admin.expect_navigation():
        newest.get_by_role("link", name="ย้ายเอกสารที่ค้างอยู่มารุ่นนี้").click()

    rows = admin.get_by_test_id("migration-row")
    movable = rows.filter(has_text=under_way.at_work)
    blocked = rows.filter(has_text=under_way.with_manager)
    expect(movable).to_have_attribute("data-movable", "yes")
    expect(movable).to_contain_text("ปฏิบัติงาน")
    expect(movable).to_contain_text(under_way.unit)
    expect(blocked).to_have_attribute("data-movable", "no")
    expect(blocked).to_contain_text(f"ขั้นตอนปัจจุบัน 'สั่งการ (เกษียนหนังสือ)' ไม่มีในรุ่นที่ {number}")
    expect(blocked.locator("input[type=checkbox]")).to_have_count(0)
    for box in admin.locator("input[name=instance_ids]").all():  # the demo's letters stay where they are
        box.uncheck()
    movable.get_by_label(under_way.at_work).check()
    blocked.scroll_into_view_if_needed()
    admin.screenshot(path="/tmp/migrate-report-1366.png")

    submit(admin, admin.get_by_role("button", name=f"ยืนยันย้ายเอกสารที่เลือกมารุ่นที่ {number}"))
    expect(admin.get_by_test_id("migration-result")).to_contain_text("ย้ายแล้ว 1 เรื่อง")
    expect(admin.get_by_test_id("migration-moved")).to_contain_text(under_way.at_work)
    admin.screenshot(path="/tmp/migrate-result-1366.png", full_page=True)
    with e2e_app.app_context():
        moved = db.session.get(WorkflowInstance, under_way.at_work_instance)
        left = db.session.get(WorkflowInstance, under_way.with_manager_instance)
        assert moved.definition.sha256 != left.definition.sha256
        assert [row.title for row in moved.tasks if row.state == "ready"] == [WORK_RENAMED]

    phone = open_browser_as("admin", DEMO_PASSWORD, viewport=PHONE_390)
    phone.goto("/admin/flows/handling")
    expect(phone.get_by_test_id("flow-version").first.get_by_test_id("flow-running")).to_have_text(
        "เอกสารที่ค้างอยู่ 1 เรื่อง")
    with phone.expect_navigation():
        phone.get_by_test_id("flow-version").first.get_by_role("link", name="ย้ายเอกสารที่ค้างอยู่มารุ่นนี้").click()
    blocked = phone.get_by_test_id("migration-row").filter(has_text=under_way.with_manager)
    expect(blocked).to_contain_text("ย้ายไม่ได้")
    expect(phone.get_by_test_id("migration-row").filter(has_text=under_way.at_work)).to_have_count(0)
    assert has_no_horizontal_scroll(phone)
    blocked.scroll_into_view_if_needed()
    phone.screenshot(path="/tmp/migrate-report-390.png")
    phone.goto("/admin/flows/handling")
    phone.screenshot(path="/tmp/migrate-flow-390.png", full_page=True)
