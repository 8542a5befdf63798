"""Moving the documents under way onto a new version of their flow (issue 16 item 6): the dry-run report
says which can move and why the others cannot; the move keeps each document's step and who holds it, and
from then on the document follows the new diagram; a report that is out of date refuses; a failure in one
document leaves it unchanged and the others moved."""
import pytest
from sqlalchemy import func, select

from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.core.models import AuditEvent
from app.extensions import db
from app.handling import queries, services
from app.handling.models import HandlingStatus
from app.workflow import definitions, engine, migration, tasks
from app.workflow.models import WorkflowInstance, WorkflowTask
from tests.factories import make_user
from tests.flow_edits import SHIPPED_HANDLING, WORK_RENAMED, drawn, handling_v2
from tests.integration.test_handling import INSTRUCTION, do, org, received, with_manager  # noqa: F401 - fixture


def assigned_by_clerk(org):  # noqa: F811
    """At the operator's work step without passing the manager's instruction."""
    handling = received(org)
    do(services.assign, org.clerk_b, handling, operator=org.operator_b)
    return handling


def instructed(org):  # noqa: F811
    """At the operator's work step after the manager's instruction (a step version 2 does not have)."""
    handling = with_manager(org)
    do(services.assign, org.head_b, handling, operator=org.operator_b, instruction=INSTRUCTION)
    return handling


def publish_v2():
    definitions.current("handling")  # the shipped version is version 1
    published = definitions.publish("handling", handling_v2())
    db.session.commit()
    return published


def instance_of(handling):
    return db.session.get(WorkflowInstance, handling.workflow_instance_id)


def rows_of(handling):
    return [(row.spec_name, row.title, row.kind, row.state, row.assignee_id) for row in db.session.scalars(
        select(WorkflowTask).where(WorkflowTask.instance_id == handling.workflow_instance_id)
        .order_by(WorkflowTask.id))]


def snapshot(handling):
    instance = instance_of(handling)
    return instance.definition_id, instance.state, rows_of(handling)


def entry_for(report, handling):
    return next(entry for entry in report.entries if entry.instance_id == handling.workflow_instance_id)


def migrate(target, handlings, fingerprint, who=None):
    actor = Actor(user=who or make_user(roles=("admin",)))
    outcome = migration.migrate(actor, "handling", target, [h.workflow_instance_id for h in handlings], fingerprint)
    db.session.commit()
    return outcome


def test_a_document_whose_step_exists_moves_and_follows_the_new_diagram_to_the_end(org):  # noqa: F811
    handling = assigned_by_clerk(org)
    target = publish_v2()
    report = migration.plan("handling", target)
    entry = entry_for(report, handling)
    assert entry.movable and entry.from_version == 1 and entry.steps == ("ปฏิบัติงาน",)

    outcome = migrate(target, [handling], report.fingerprint)
    assert [moved.instance_id for moved in outcome.moved] == [handling.workflow_instance_id]
    assert outcome.skipped == ()
    task = queries.open_task(handling)
    assert instance_of(handling).definition_id == target.id
    assert (task.spec_name, task.title, task.assignee_id) == ("work", WORK_RENAMED, org.operator_b.id)

    do(services.propose, org.operator_b, handling, reviewer=org.head_b, text="เสนอร่างหนังสือตอบ")
    assert queries.step_actions(queries.open_task(handling)) == ("sign", "endorse")  # v2 has no send-back
    do(services.sign, org.head_b, handling, "อนุมัติ")
    do(services.close, org.clerk_b, handling, "ดำเนินการแล้ว")
    assert handling.status == HandlingStatus.CLOSED and queries.open_task(handling) is None
    assert instance_of(handling).status == "completed"


def test_documents_whose_steps_were_removed_are_reported_with_the_reason_and_left_alone(org):  # noqa: F811
    at_instruction, past_instruction = with_manager(org), instructed(org)
    before = snapshot(at_instruction), snapshot(past_instruction)
    target = publish_v2()
    report = migration.plan("handling", target)

    at, past = entry_for(report, at_instruction), entry_for(report, past_instruction)
    assert not at.movable and not past.movable and report.movable == []
    assert str(at.reasons[0]) == "ขั้นตอนปัจจุบัน 'สั่งการ (เกษียนหนังสือ)' ไม่มีในรุ่นที่ 2"
    assert str(past.reasons[0]) == ("เอกสารผ่านขั้นตอนที่ไม่มีในรุ่นที่ 2 มาแล้ว (สั่งการ (เกษียนหนังสือ)) "
                                     "จึงย้ายประวัติการดำเนินการไปด้วยไม่ได้")

    outcome = migrate(target, [at_instruction, past_instruction], report.fingerprint)
    assert outcome.moved == () and len(outcome.skipped) == 2
    assert (snapshot(at_instruction), snapshot(past_instruction)) == before
    do(services.assign, org.head_b, at_instruction, operator=org.operator_b, instruction=INSTRUCTION)
    assert queries.open_task(at_instruction).spec_name == "work"  # still runs on version 1


def test_a_report_out_of_date_refuses_and_moves_nothing(org):  # noqa: F811
    handling, other = assigned_by_clerk(org), assigned_by_clerk(org)
    target = publish_v2()
    report = migration.plan("handling", target)
    do(services.report_progress, org.operator_b, other, text="สำรวจแล้วครึ่งหนึ่ง")  # not a step: same state
    do(services.propose, org.operator_b, other, reviewer=org.head_b)  # moved on since the report

    before = snapshot(handling)
    with pytest.raises(BusinessRuleError) as refused:
        migration.migrate(Actor(user=make_user(roles=("admin",))), "handling", target,
                          [handling.workflow_instance_id], report.fingerprint)
    db.session.rollback()
    assert "เอกสารที่ค้างอยู่มีการเปลี่ยนแปลงหลังจากจัดทำรายงาน" in str(refused.value.message)
    assert snapshot(handling) == before

    fresh = migration.plan("handling", target)
    assert entry_for(fresh, other).steps == ("พิจารณาลงนาม",)
    assert [moved.instance_id for moved in migrate(target, [handling, other], fresh.fingerprint).moved] == [
        handling.workflow_instance_id, other.workflow_instance_id]


def test_a_failure_in_one_document_leaves_it_unchanged_and_the_others_moved(org, monkeypatch):  # noqa: F811
    first, failing, last = assigned_by_clerk(org), assigned_by_clerk(org), assigned_by_clerk(org)
    target = publish_v2()
    report = migration.plan("handling", target)
    before = snapshot(failing)
    refresh = tasks.refresh_ready

    def fail_half_way(instance, workflow):
        refresh(instance, workflow)
        db.session.flush()  # its state, version and rows are written before it fails
        if instance.id == failing.workflow_instance_id:
            raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "refresh_ready", fail_half_way)
    outcome = migrate(target, [first, failing, last], report.fingerprint)
    assert [moved.instance_id for moved in outcome.moved] == [first.workflow_instance_id, last.workflow_instance_id]
    assert [skipped.instance_id for skipped in outcome.skipped] == [failing.workflow_instance_id]
    assert "ย้ายไม่สำเร็จเนื่องจากเกิดข้อผิดพลาด" in str(outcome.skipped[0].reason)
    assert outcome.skipped[0].document_id == failing.document_id
    assert snapshot(failing) == before
    assert instance_of(first).definition_id == instance_of(last).definition_id == target.id
    assert [row[1] for row in rows_of(last) if row[3] == "ready"] == [WORK_RENAMED]


def test_each_move_is_audited_and_the_flow_page_counts_the_documents_on_each_version(org, client, login):  # noqa: F811
    handling, blocked = assigned_by_clerk(org), with_manager(org)
    target = publish_v2()
    admin = make_user(roles=("admin",), full_name_th="นายไอที ดูแลระบบ")
    login(client, admin)
    flow_page = client.get("/admin/flows/handling").get_data(as_text=True)
    assert "เอกสารที่ค้างอยู่ 2 เรื่อง" in flow_page and "เอกสารที่ค้างอยู่ 0 เรื่อง" in flow_page
    assert f"/admin/flows/handling/versions/{target.id}/migrate" in flow_page

    url = f"/admin/flows/handling/versions/{target.id}/migrate"
    page = client.get(url).get_data(as_text=True)
    assert page.count('data-movable="yes"') == 1 and page.count('data-movable="no"') == 1
    assert "ไม่มีในรุ่นที่ 2" in page and "ย้ายได้ 1 เรื่อง" in page
    fingerprint = migration.plan("handling", target).fingerprint
    result = client.post(url, data={"fingerprint": fingerprint, "instance_ids": [handling.workflow_instance_id]})
    assert result.status_code == 200 and "ย้ายแล้ว 1 เรื่อง" in result.get_data(as_text=True)

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "workflow.migrate")).all()
    assert [(event.subject_type, event.subject_id, event.actor_id) for event in events] == [
        ("workflow_instance", handling.workflow_instance_id, admin.id)]
    assert '"from_version": 1' in events[0].detail and '"to_version": 2' in events[0].detail
    assert instance_of(blocked).definition_id != target.id
    assert "เอกสารที่ค้างอยู่ 1 เรื่อง" in client.get("/admin/flows/handling").get_data(as_text=True)


def test_a_stale_report_posted_shows_the_new_one_and_nothing_ticked_is_not_confirmed(org, client, login):  # noqa: F811
    handling = assigned_by_clerk(org)
    target = publish_v2()
    login(client, make_user(roles=("admin",)))
    url = f"/admin/flows/handling/versions/{target.id}/migrate"
    stale = client.post(url, data={"fingerprint": "0" * 64, "instance_ids": [handling.workflow_instance_id]})
    assert stale.status_code == 409 and "เอกสารที่ค้างอยู่มีการเปลี่ยนแปลง" in stale.get_data(as_text=True)
    none_ticked = client.post(url, data={"fingerprint": migration.plan("handling", target).fingerprint})
    assert none_ticked.status_code == 400 and "เลือกเอกสารที่จะย้ายอย่างน้อยหนึ่งเรื่อง" in none_ticked.get_data(as_text=True)
    assert instance_of(handling).definition_id != target.id
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "workflow.migrate")) == 0


def test_only_admins_see_or_confirm_a_migration(org, client, login):  # noqa: F811
    handling = assigned_by_clerk(org)
    target = publish_v2()
    login(client, org.clerk_b)
    url = f"/admin/flows/handling/versions/{target.id}/migrate"
    assert client.get(url).status_code == 403
    fingerprint = migration.plan("handling", target).fingerprint
    assert client.post(url, data={"fingerprint": fingerprint,
                                  "instance_ids": [handling.workflow_instance_id]}).status_code == 403
    assert instance_of(handling).definition_id != target.id


def test_a_step_that_changed_its_kind_is_not_movable(org):  # noqa: F811
    handling = assigned_by_clerk(org)
    definitions.current("handling")
    target = definitions.publish("handling", SHIPPED_HANDLING.replace('esaraban:kind="work"', 'esaraban:kind="revise"'))
    entry = entry_for(migration.plan("handling", target), handling)
    assert [str(reason) for reason in entry.reasons] == [
        "ขั้นตอน 'ปฏิบัติงาน' เป็นขั้นตอนคนละประเภทในรุ่นที่ 2 (เดิม ปฏิบัติงาน เปลี่ยนเป็น แก้ไขตามข้อสังเกต)"]


PARALLEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:esaraban="https://e-saraban.local/bpmn/extensions" id="d" targetNamespace="https://e-saraban.local/bpmn">
  <bpmn:process id="two_at_once" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="lane_operator" name="operator">
      <bpmn:flowNodeRef>survey</bpmn:flowNodeRef><bpmn:flowNodeRef>estimate</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" name="เริ่ม"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="split"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:outgoing>f3</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:userTask id="survey" name="SURVEY" esaraban:kind="work"><bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="estimate" name="ประมาณราคา" esaraban:kind="work"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:parallelGateway id="join"><bpmn:incoming>f4</bpmn:incoming><bpmn:incoming>f5</bpmn:incoming>
      <bpmn:outgoing>f6</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:endEvent id="end" name="เสร็จ"><bpmn:incoming>f6</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="survey" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="estimate" />
    <bpmn:sequenceFlow id="f4" sourceRef="survey" targetRef="join" />
    <bpmn:sequenceFlow id="f5" sourceRef="estimate" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_parallel_branches_running_are_not_movable_until_they_come_together(org):  # noqa: F811
    definitions.publish("two_at_once", drawn(PARALLEL.replace("SURVEY", "สำรวจ")))
    both_open = engine.start("two_at_once", subject_type="test", subject_id=1, unit_id=org.b.id)
    one_left = engine.start("two_at_once", subject_type="test", subject_id=2, unit_id=org.b.id)
    engine.complete(one_left, "survey", user_id=org.operator_b.id)
    target = definitions.publish("two_at_once", drawn(PARALLEL.replace("SURVEY", "สำรวจพื้นที่")))
    report = migration.plan("two_at_once", target)
    blocked, movable = (next(e for e in report.entries if e.instance_id == i.id) for i in (both_open, one_left))
    assert [str(reason) for reason in blocked.reasons] == [
        "มีขั้นตอนที่ดำเนินการคู่ขนานกันอยู่ (2 ขั้นตอนพร้อมกัน) จะย้ายได้เมื่อขั้นตอนคู่ขนานเสร็จครบแล้ว"]
    assert movable.movable and movable.steps == ("ประมาณราคา",)
    outcome = migration.migrate(Actor(user=make_user(roles=("admin",))), "two_at_once", target,
                                [both_open.id, one_left.id], report.fingerprint)
    assert [entry.instance_id for entry in outcome.moved] == [one_left.id]
    engine.complete(one_left, "estimate", user_id=org.operator_b.id)
    assert one_left.status == "completed"  # the join on the new version counts the branch done before


@pytest.mark.own_database
def test_on_sqlite_the_moves_are_one_transaction_with_the_request(tmp_path):
    """SQLite's driver would let each savepoint's release commit its move on its own."""
    from app import create_app
    from app.documents.models import DocumentType
    from app.documents.services import DocumentDetails
    from tests.conftest import app_environ, build_schema
    from tests.factories import make_unit

    application = create_app(environ=app_environ(f"sqlite:///{tmp_path / 'embedded.db'}", LOG_LEVEL="WARNING"))
    build_schema(application)
    with application.app_context():
        unit = make_unit(letter_code="ลย 51002")
        clerk = make_user(unit=unit, roles=("clerk",))
        external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
        for subject in ("ขอข้อมูลถนน", "ขอข้อมูลสะพาน"):
            services.receive_paper_letter(Actor(user=clerk), unit=unit, details=DocumentDetails(
                type=external, subject=subject, from_text="อำเภอเมืองเลย"))
        db.session.commit()
        target = publish_v2()
        report = migration.plan("handling", target)
        migration.migrate(Actor(user=make_user(roles=("admin",))), "handling", target,
                          [entry.instance_id for entry in report.movable], report.fingerprint)
        db.session.rollback()  # as the view does when anything fails before its commit
        counts = migration.running_counts("handling")
        assert len(report.movable) == 2 and target.id not in counts and sum(counts.values()) == 2
        db.session.remove()
