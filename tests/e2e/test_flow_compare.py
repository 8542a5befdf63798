"""Issue 16 item 5 in a browser: the IT officer compares the version of the work flow they published with
the one before it, at a desk and on a phone, and sees both diagrams drawn, the removed steps red in the
old one, the renamed step marked in both, and the list of what changed in Thai."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.workflow import definitions, publishing
from app.workflow.models import WorkflowDefinition
from tests.e2e.conftest import DEMO_PASSWORD, has_no_horizontal_scroll, submit
from tests.e2e.test_letters import PHONE_390
from tests.factories import SYSTEM
from tests.flow_edits import WORK_RENAMED, handling_v2

pytestmark = pytest.mark.e2e
DESK = {"width": 1366, "height": 900}


@pytest.fixture
def published(e2e_app):
    """A new version of the work flow without the manager's instruction step and its work step renamed; the
    version current before the test is current again after it."""
    renamed = f"{WORK_RENAMED} {uuid.uuid4().hex[:6]}"
    with e2e_app.app_context():
        before = definitions.current("handling")
        new = definitions.publish("handling", handling_v2().replace(WORK_RENAMED, renamed))
        db.session.commit()
        ids = (before.id, new.id)
    yield ids, renamed
    with e2e_app.app_context():
        publishing.make_current(SYSTEM, db.session.get(WorkflowDefinition, ids[0]))
        db.session.commit()


def with_class(css_class):
    """A class attribute holding `css_class` among others."""
    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")


def element(page, side, element_id):
    return page.get_by_test_id(f"compare-{side}").locator(f'g.djs-element[data-element-id="{element_id}"]')


def test_the_admin_sees_what_changed_between_two_versions_drawn_and_listed(published, open_browser_as):
    (before_id, new_id), renamed = published
    admin = open_browser_as("admin", DEMO_PASSWORD, viewport=DESK)
    admin.goto("/admin/flows/handling")
    with admin.expect_navigation():
        admin.get_by_test_id("flow-version").first.get_by_test_id("flow-compare-link").click()
    form = admin.get_by_test_id("compare-form")
    form.locator("select[name=from]").select_option(str(before_id))
    submit(admin, form.get_by_role("button", name="เทียบ"))
    expect(admin.get_by_test_id("flow-compare")).to_have_attribute("data-ready", "true")

    expect(element(admin, "old", "instruct")).to_have_class(with_class("diff-removed"))
    expect(element(admin, "new", "instruct")).to_have_count(0)
    expect(element(admin, "old", "work")).to_have_class(with_class("diff-changed"))
    expect(element(admin, "new", "work")).to_have_class(with_class("diff-changed"))
    expect(element(admin, "new", "triage")).not_to_have_class(re.compile(r"\bdiff-"))
    change = admin.get_by_test_id("compare-change").filter(has=admin.locator('[data-element-id="work"]')).first
    expect(change).to_contain_text("แก้ไข")
    expect(change).to_contain_text(renamed)
    removed_step = admin.locator('[data-testid="compare-change"][data-element-id="instruct"]')
    expect(removed_step).to_contain_text("ลบออก")
    expect(removed_step).to_contain_text("สั่งการ (เกษียนหนังสือ)")
    change.get_by_role("button").click()
    expect(element(admin, "new", "work")).to_have_class(with_class("diff-focus"))
    admin.screenshot(path="/tmp/compare-1366.png", full_page=True)

    phone = open_browser_as("admin", DEMO_PASSWORD, viewport=PHONE_390)
    phone.goto(f"/admin/flows/handling/compare?from={before_id}&to={new_id}")
    expect(phone.get_by_test_id("flow-compare")).to_have_attribute("data-ready", "true")
    expect(element(phone, "old", "instruct")).to_have_class(with_class("diff-removed"))
    assert has_no_horizontal_scroll(phone)
    phone.screenshot(path="/tmp/compare-390.png", full_page=True)

