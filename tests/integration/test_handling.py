"""Work on a letter inside a unit (flow 2, bpmn/handling.bpmn) and the sign-off of an outgoing letter (flow 3,
bpmn/outgoing.bpmn), driven through app.handling.services the way clerks, managers and operators would.

Every step is committed as one request would be; what is checked is what people see: their task lists
("My work", "awaiting my signature"), the status of the work, the notes, the numbers and the timeline.
"""
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.core.models import AuditEvent
from app.core.thai_dates import today_local
from app.documents.models import DeliveryMethod, DocumentOperator, DocumentType
from app.documents.queries import timeline
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import queries, services
from app.handling.models import Handling, HandlingNote
from app.org.models import Delegation
from app.registry import queries as registry_queries
from app.registry.models import Direction
from app.routing import services as routing
from app.routing.models import Delivery
from app.routing.queries import my_tasks
from tests.factories import make_unit, make_user

SUBJECT = "ขอความร่วมมือสำรวจข้อมูลถนนในเขตจังหวัด"
INSTRUCTION = "มอบงานสำรวจดำเนินการ และรายงานผลภายใน 7 วัน"
OUTSIDE = "สำนักงานทางหลวงชนบทจังหวัดเลย"


@pytest.fixture
def org():
    """กองคลัง (A) sends and writes outgoing letters; ฝ่ายสำรวจ (B), a section of กองช่าง (P), works on
    what it receives; กองการศึกษา (C) gets what B passes on."""
    a = make_unit(name_th="กองคลัง", letter_code="ลย 51001")
    p = make_unit(name_th="กองช่าง", letter_code="ลย 51002")
    b = make_unit(name_th="ฝ่ายสำรวจและออกแบบ", kind="section", parent=p, letter_code="ลย 51002")
    other_section = make_unit(name_th="ฝ่ายควบคุมงาน", kind="section", parent=p)
    c = make_unit(name_th="กองการศึกษา")
    return SimpleNamespace(
        a=a, b=b, c=c, p=p,
        clerk_a=make_user(unit=a, roles=("clerk",)),
        operator_a=make_user(unit=a, roles=("operator",)),
        manager_a=make_user(unit=a, roles=("manager",), manager_level="division_head"),
        clerk_b=make_user(unit=b, roles=("clerk",)),
        head_b=make_user(unit=b, roles=("manager",), manager_level="section_head"),
        other_head_b=make_user(unit=b, roles=("manager",), manager_level="section_head"),
        operator_b=make_user(unit=b, roles=("operator",)),
        operator_b2=make_user(unit=b, roles=("operator",)),
        director=make_user(unit=p, roles=("manager",), manager_level="division_head"),
        deputy=make_user(unit=other_section, roles=("manager",), manager_level="section_head"),
        clerk_c=make_user(unit=c, roles=("clerk",)),
    )


# ---- helpers ------------------------------------------------------------------------------------------

def actor_for(who):
    return who if isinstance(who, Actor) else Actor(user=who)


def do(step, who, *args, **kwargs):
    """One step taken by a person (a User, or an Actor when acting for someone), committed like a request."""
    result = step(actor_for(who), *args, **kwargs)
    db.session.commit()
    return result


def what_users_see(handling):
    """Status, people, the open step and whom it is given to, and the notes written so far."""
    task = queries.open_task(handling)
    notes = db.session.scalar(select(func.count()).select_from(HandlingNote)
                              .where(HandlingNote.handling_id == handling.id))
    return (handling.status, handling.responsible_id, handling.reviewer_id, handling.signed_by_id,
            handling.finished_at, (task.spec_name, task.assignee_id) if task else None, notes)


def refused(step, who, handling, *args, **kwargs):
    """The step is refused with a message for the user, and nothing about the work changes."""
    before = what_users_see(handling)
    with pytest.raises(BusinessRuleError):
        step(actor_for(who), handling, *args, **kwargs)
    assert what_users_see(handling) == before


def tasks_of(user, handling):
    """The steps of this handling in the user's "My work" list."""
    return [task.spec_name for task in my_tasks(user) if task.instance_id == handling.workflow_instance_id]


def awaiting(user):
    """The handlings in the user's "awaiting my signature" list."""
    return [handling.id for _, handling in queries.awaiting_signature(user)]


def notes_of(handling, kind):
    return db.session.scalars(select(HandlingNote).where(HandlingNote.handling_id == handling.id,
                                                         HandlingNote.kind == kind)
                              .order_by(HandlingNote.id)).all()


def document_type(code="external"):
    return db.session.scalar(select(DocumentType).where(DocumentType.code == code))


def a_document(unit, **details):
    document = create_document(Actor.system("test"), owner_unit=unit, details=DocumentDetails(
        type=document_type(), **{"subject": SUBJECT, **details}))
    db.session.commit()
    return document


# The stages of flow 2, each built on the one before.

def received(org):
    """A sends a letter to B and B's clerk registers it (R15)."""
    document = a_document(org.a)
    delivery, = do(routing.send, org.clerk_a, document, from_unit=org.a, to_units=[org.b])
    do(services.register_delivery, org.clerk_b, delivery)
    return queries.open_handling(document, org.b)


def with_manager(org):
    handling = received(org)
    do(services.to_manager, org.clerk_b, handling, manager=org.head_b, note="เสนอเพื่อโปรดพิจารณาสั่งการ")
    return handling


def at_work(org):
    handling = with_manager(org)
    do(services.assign, org.head_b, handling, operator=org.operator_b, instruction=INSTRUCTION)
    return handling


def awaiting_head(org):
    handling = at_work(org)
    do(services.propose, org.operator_b, handling, reviewer=org.head_b, text="เสนอร่างหนังสือตอบ")
    return handling


def awaiting_director(org):
    handling = awaiting_head(org)
    do(services.endorse, org.head_b, handling, next_reviewer=org.director, comment="เห็นควรลงนาม")
    return handling


def signed(org):
    handling = awaiting_director(org)
    do(services.sign, org.director, handling, comment="อนุมัติ")
    return handling


def assert_finished(handling, status, clerk):
    assert handling.status == status and handling.finished_at is not None
    assert queries.open_task(handling) is None and tasks_of(clerk, handling) == []


# ---- flow 2: registered, routed inside the unit, worked on, signed, closed ------------------------------

def test_r15_registering_a_delivery_starts_the_work_with_a_triage_task_for_the_units_clerks(org):
    handling = received(org)
    assert (handling.status, handling.kind, handling.unit_id) == ("new", "incoming", org.b.id)
    assert handling.delivery.status == "registered"
    assert registry_queries.holds_number(handling.document, Direction.RECEIVE)
    assert tasks_of(org.clerk_b, handling) == ["triage"]
    assert tasks_of(org.operator_b, handling) == [] and tasks_of(org.head_b, handling) == []


def test_the_clerk_passes_it_to_one_manager_and_only_that_manager_sees_the_instruct_step(org):
    handling = with_manager(org)
    assert handling.status == "with_manager"
    assert tasks_of(org.head_b, handling) == ["instruct"]
    assert tasks_of(org.other_head_b, handling) == [] and tasks_of(org.clerk_b, handling) == []
    assert [note.text for note in notes_of(handling, "note")] == ["เสนอเพื่อโปรดพิจารณาสั่งการ"]


def test_passed_to_no_manager_in_particular_every_manager_of_the_unit_sees_it_and_one_takes_it(org):
    handling = received(org)
    do(services.to_manager, org.clerk_b, handling)
    assert tasks_of(org.head_b, handling) == tasks_of(org.other_head_b, handling) == ["instruct"]
    assert tasks_of(org.director, handling) == []  # a manager of the unit above is not the unit's manager

    do(services.assign, org.other_head_b, handling, operator=org.operator_b2, instruction=INSTRUCTION)
    assert tasks_of(org.head_b, handling) == [] and tasks_of(org.operator_b2, handling) == ["work"]


def test_the_manager_must_write_an_instruction_and_then_the_operator_holds_the_work(org):
    handling = with_manager(org)
    refused(services.assign, org.head_b, handling, operator=org.operator_b, instruction="   ")
    assert tasks_of(org.operator_b, handling) == []

    do(services.assign, org.head_b, handling, operator=org.operator_b, instruction=INSTRUCTION)
    assert (handling.status, handling.responsible_id) == ("in_progress", org.operator_b.id)
    assert tasks_of(org.operator_b, handling) == ["work"]
    assert tasks_of(org.operator_b2, handling) == [] and tasks_of(org.head_b, handling) == []
    assert [(n.text, n.to_user_id) for n in notes_of(handling, "instruction")] == [
        (INSTRUCTION, org.operator_b.id)]
    assert db.session.scalar(select(DocumentOperator).where(  # R34: the assigned operator may read it
        DocumentOperator.document_id == handling.document_id, DocumentOperator.user_id == org.operator_b.id))


def test_r28_progress_is_written_on_the_document_and_the_work_stays_with_the_operator(org):
    handling = at_work(org)
    refused(services.report_progress, org.operator_b, handling, text="  ", percent_done=10)
    refused(services.report_progress, org.operator_b, handling, text="สำรวจแล้วครึ่งหนึ่ง", percent_done=150)

    do(services.report_progress, org.operator_b, handling, text="สำรวจถนนแล้ว 12 สาย", percent_done=40)
    assert [(n.text, n.percent_done, n.author_id) for n in notes_of(handling, "progress")] == [
        ("สำรวจถนนแล้ว 12 สาย", 40, org.operator_b.id)]
    assert handling.status == "in_progress" and tasks_of(org.operator_b, handling) == ["work"]


def test_r7_a_proposal_waits_in_the_section_heads_list_then_climbs_to_the_director(org):
    handling = awaiting_head(org)
    assert (handling.status, handling.reviewer_id) == ("awaiting_signature", org.head_b.id)
    assert awaiting(org.head_b) == [handling.id] and queries.awaiting_signature_count(org.head_b) == 1
    assert tasks_of(org.operator_b, handling) == [] and awaiting(org.director) == []

    do(services.endorse, org.head_b, handling, next_reviewer=org.director, comment="เห็นควรลงนาม")
    assert (handling.status, handling.reviewer_id) == ("awaiting_signature", org.director.id)
    assert awaiting(org.director) == [handling.id] and queries.awaiting_signature_count(org.director) == 1
    assert awaiting(org.head_b) == [] and queries.awaiting_signature_count(org.head_b) == 0


def test_r20_a_signed_letter_goes_back_to_the_clerk_who_closes_it(org):
    handling = signed(org)
    assert (handling.status, handling.signed_by_id, handling.reviewer_id) == ("signed", org.director.id, None)
    assert awaiting(org.director) == [] and tasks_of(org.clerk_b, handling) == ["finish"]

    do(services.close, org.clerk_b, handling, note="ดำเนินการเรียบร้อย")
    assert_finished(handling, "closed", org.clerk_b)
    assert handling.finished_by_id == org.clerk_b.id


def test_the_documents_timeline_shows_every_step_of_the_work_in_order(org):
    handling = at_work(org)
    do(services.report_progress, org.operator_b, handling, text="ร่างหนังสือตอบแล้ว", percent_done=80)
    do(services.propose, org.operator_b, handling, reviewer=org.head_b)
    do(services.endorse, org.head_b, handling, next_reviewer=org.director)
    do(services.sign, org.director, handling)
    do(services.close, org.clerk_b, handling)
    steps = [(step.event.action, step.person.id) for step in timeline(handling.document)
             if step.event.action.startswith("handling.")]
    assert steps == [("handling.start", org.clerk_b.id), ("handling.to_manager", org.clerk_b.id),
                     ("handling.assign", org.head_b.id), ("handling.progress", org.operator_b.id),
                     ("handling.propose", org.operator_b.id), ("handling.endorse", org.head_b.id),
                     ("handling.sign", org.director.id), ("handling.close", org.clerk_b.id)]


# ---- sent back, finished without signature, closed or forwarded at once ---------------------------------

def test_a_reviewer_sends_it_back_with_a_reason_to_the_responsible_operator_who_proposes_again(org):
    handling = awaiting_head(org)
    refused(services.send_back, org.head_b, handling, "  ")

    do(services.send_back, org.head_b, handling, "ขอให้แนบแผนที่เส้นทางประกอบ")
    assert (handling.status, handling.reviewer_id) == ("sent_back", None)
    assert awaiting(org.head_b) == []
    assert tasks_of(org.operator_b, handling) == ["work"] and tasks_of(org.operator_b2, handling) == []
    assert queries.open_task(handling).assignee_id == org.operator_b.id
    assert [(n.text, n.to_user_id) for n in notes_of(handling, "sent_back")] == [
        ("ขอให้แนบแผนที่เส้นทางประกอบ", org.operator_b.id)]

    do(services.propose, org.operator_b, handling, reviewer=org.head_b, text="แนบแผนที่แล้ว")
    assert handling.status == "awaiting_signature" and awaiting(org.head_b) == [handling.id]


def test_the_clerk_assigns_straight_from_triage_and_closes_once_the_operator_is_done(org):
    handling = received(org)
    do(services.assign, org.clerk_b, handling, operator=org.operator_b)  # the clerk needs no instruction
    assert tasks_of(org.operator_b, handling) == ["work"]
    assert [n.to_user_id for n in notes_of(handling, "assignment")] == [org.operator_b.id]

    do(services.finish_work, org.operator_b, handling, "แจ้งข้อมูลถนนให้กองคลังแล้ว")
    assert handling.status == "done" and tasks_of(org.operator_b, handling) == []
    assert tasks_of(org.clerk_b, handling) == ["finish"]

    do(services.close, org.clerk_b, handling)
    assert_finished(handling, "closed", org.clerk_b)


def test_r20_the_clerk_closes_a_registered_letter_straight_from_triage(org):
    handling = received(org)
    do(services.close, org.clerk_b, handling, note="เพื่อทราบ")
    assert_finished(handling, "closed", org.clerk_b)
    assert [n.text for n in notes_of(handling, "close")] == ["เพื่อทราบ"]


def test_the_clerk_forwards_it_to_another_unit_linked_to_the_delivery_it_came_by(org):
    handling = received(org)
    forwarded, = do(services.forward, org.clerk_b, handling, to_units=[org.c], note="เพื่อพิจารณาดำเนินการ")
    assert_finished(handling, "forwarded", org.clerk_b)
    delivery = db.session.scalar(select(Delivery).where(Delivery.document_id == handling.document_id,
                                                        Delivery.to_unit_id == org.c.id))
    assert delivery.id == forwarded.id
    assert (delivery.from_unit_id, delivery.parent_id, delivery.status) == (
        org.b.id, handling.delivery_id, "sent")
    assert "review_delivery" in [task.spec_name for task in my_tasks(org.clerk_c)
                                 if task.instance_id == delivery.workflow_instance_id]


# ---- who may take a step ---------------------------------------------------------------------------------

def test_only_the_units_clerks_route_a_new_letter(org):
    handling = received(org)
    refused(services.close, org.clerk_c, handling)
    refused(services.to_manager, org.operator_b, handling, manager=org.head_b)
    refused(services.assign, org.clerk_c, handling, operator=org.operator_b)


def test_only_the_manager_it_was_passed_to_gives_the_instruction(org):
    handling = with_manager(org)
    refused(services.assign, org.other_head_b, handling, operator=org.operator_b, instruction=INSTRUCTION)
    refused(services.assign, org.clerk_b, handling, operator=org.operator_b, instruction=INSTRUCTION)


def test_only_the_assigned_operator_reports_proposes_or_finishes(org):
    handling = at_work(org)
    refused(services.report_progress, org.operator_b2, handling, text="ช่วยสำรวจ", percent_done=10)
    refused(services.propose, org.operator_b2, handling, reviewer=org.head_b)
    refused(services.finish_work, org.head_b, handling)


def test_only_the_reviewer_it_waits_for_signs_it(org):
    handling = awaiting_head(org)
    refused(services.sign, org.director, handling)
    refused(services.sign, org.operator_b, handling)
    refused(services.send_back, org.other_head_b, handling, "ไม่เห็นด้วย")


def test_r13_a_deputy_acting_for_the_reviewer_sees_it_and_signs_it(org):
    handling = awaiting_director(org)
    today = today_local()
    delegation = Delegation(principal=org.director, deputy=org.deputy, starts_on=today + timedelta(days=1),
                            ends_on=today + timedelta(days=5))
    db.session.add(delegation)
    db.session.commit()
    assert awaiting(org.deputy) == []  # not yet: the delegation starts tomorrow
    refused(services.sign, org.deputy, handling)

    delegation.starts_on = today
    db.session.commit()
    assert awaiting(org.deputy) == [handling.id] and queries.awaiting_signature_count(org.deputy) == 1
    do(services.sign, Actor(user=org.deputy, acting_for=org.director), handling, comment="ลงนามแทน")
    assert (handling.status, handling.signed_by_id) == ("signed", org.deputy.id)
    signature, = notes_of(handling, "signature")
    assert (signature.author_id, signature.acting_for_id) == (org.deputy.id, org.director.id)


def test_r13_a_deputy_signing_through_the_web_is_recorded_as_acting_for_the_reviewer(org, client, login):
    """The reviewer sits in the parent unit and the deputy in another section: the signature still says
    whom it was made for."""
    handling = awaiting_director(org)
    today = today_local()
    db.session.add(Delegation(principal=org.director, deputy=org.deputy, starts_on=today, ends_on=today))
    db.session.commit()
    login(client, org.deputy)
    assert client.get("/signatures").get_data(as_text=True).count('data-testid="signature-row"') == 1
    response = client.post(f"/handlings/{handling.id}/sign", data={f"sign-{handling.id}-comment": "ลงนามแทน"})
    assert response.status_code == 302
    assert handling.status == "signed"
    signature, = notes_of(handling, "signature")
    assert (signature.author_id, signature.acting_for_id) == (org.deputy.id, org.director.id)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "handling.sign")).one()
    assert (event.actor_id, event.acting_for_id) == (org.deputy.id, org.director.id)


def test_work_goes_only_to_people_of_the_unit_and_proposals_only_up_its_chain(org):
    handling = received(org)
    refused(services.assign, org.clerk_b, handling, operator=org.operator_a)  # another division's staff
    refused(services.to_manager, org.clerk_b, handling, manager=org.manager_a)
    do(services.assign, org.clerk_b, handling, operator=org.operator_b)
    refused(services.propose, org.operator_b, handling, reviewer=org.manager_a)  # not above B
    do(services.propose, org.operator_b, handling, reviewer=org.director)  # the parent division's head
    assert awaiting(org.director) == [handling.id]


def test_only_a_person_of_the_owning_unit_proposes_its_outgoing_letter(org):
    document = a_document(org.a)
    with pytest.raises(BusinessRuleError):
        services.propose_outgoing(Actor(user=org.operator_b), document, unit=org.a, reviewer=org.manager_a)
    assert queries.open_handling(document, org.a) is None


def test_a_step_already_taken_is_refused(org):
    handling = signed(org)
    refused(services.sign, org.director, handling)
    refused(services.endorse, org.head_b, handling, next_reviewer=org.director)
    do(services.close, org.clerk_b, handling)
    refused(services.close, org.clerk_b, handling)
    refused(services.forward, org.clerk_b, handling, to_units=[org.c])


# ---- letters on paper, and letters received again ---------------------------------------------------------

def test_a_paper_letter_is_registered_with_a_number_and_worked_on_like_any_other(org):
    details = DocumentDetails(type=document_type(), subject="แจ้งกำหนดการตรวจสภาพถนน",
                              doc_number="ลย 0017/ว 123", from_text=OUTSIDE)
    document, entry = do(services.receive_paper_letter, org.clerk_b, unit=org.b, details=details)
    assert entry.number == 1 and registry_queries.holds_number(document, Direction.RECEIVE)
    handling = queries.open_handling(document, org.b)
    assert (handling.status, handling.delivery_id) == ("new", None)
    assert tasks_of(org.clerk_b, handling) == ["triage"]


def test_r16_receiving_again_a_letter_still_worked_on_starts_nothing_new(org):
    handling = at_work(org)
    again = do(services.start_incoming, org.clerk_b, document=handling.document, unit=org.b)
    assert again.id == handling.id and again.status == "in_progress"

    second, = do(routing.send, org.clerk_a, handling.document, from_unit=org.a, to_units=[org.b])
    entry = do(services.register_delivery, org.clerk_b, second)
    assert entry.id == handling.delivery.register_entry_id  # the same receive number
    assert db.session.scalar(select(func.count()).select_from(Handling)
                             .where(Handling.document_id == handling.document_id)) == 1
    assert tasks_of(org.clerk_b, handling) == [] and tasks_of(org.operator_b, handling) == ["work"]


# ---- flow 3: an outgoing letter signed, numbered and sent ----------------------------------------------

def an_outgoing_letter(org):
    """A's letter to ฝ่ายสำรวจ (one of ours) and to an outside office, to go by registered post."""
    method = db.session.scalar(select(DeliveryMethod).where(DeliveryMethod.code == "registered_post"))
    return a_document(org.a, subject="ขอเชิญประชุมเรื่องงบประมาณซ่อมถนน", recipient_units=[org.b],
                      recipient_texts=[OUTSIDE], delivery_method=method)


def proposed(org):
    document = an_outgoing_letter(org)
    return do(services.propose_outgoing, org.operator_a, document, unit=org.a, reviewer=org.manager_a,
              text="เสนอเพื่อโปรดลงนาม")


def test_an_outgoing_letter_is_proposed_to_a_manager_but_not_to_oneself_or_a_non_manager(org):
    document = an_outgoing_letter(org)
    for who, reviewer in ((org.manager_a, org.manager_a), (org.operator_a, org.clerk_a)):
        with pytest.raises(BusinessRuleError):
            services.propose_outgoing(Actor(user=who), document, unit=org.a, reviewer=reviewer)
    assert db.session.scalar(select(func.count()).select_from(Handling)
                             .where(Handling.document_id == document.id)) == 0

    handling = do(services.propose_outgoing, org.operator_a, document, unit=org.a, reviewer=org.manager_a)
    assert (handling.kind, handling.status, handling.proposed_by_id) == (
        "outgoing", "awaiting_signature", org.operator_a.id)
    assert awaiting(org.manager_a) == [handling.id] and queries.awaiting_signature_count(org.manager_a) == 1
    assert document.doc_number == "" and not registry_queries.holds_number(document)


def test_r17_a_signed_outgoing_letter_takes_its_send_number_and_leaves_for_every_recipient(org):
    handling = proposed(org)
    do(services.send_back, org.manager_a, handling, "แก้วันประชุมเป็นวันศุกร์")
    assert handling.status == "sent_back" and awaiting(org.manager_a) == []
    assert tasks_of(org.operator_a, handling) == ["revise"]
    do(services.resubmit, org.operator_a, handling, reviewer=org.manager_a, text="แก้ไขแล้ว")
    assert awaiting(org.manager_a) == [handling.id]

    do(services.sign, org.manager_a, handling)
    document = handling.document
    assert handling.status == "dispatched" and handling.finished_at is not None
    assert document.doc_number.startswith("ลย 51001/") and document.doc_number.split("/")[-1].isdigit()
    assert registry_queries.holds_number(document, Direction.SEND)
    assert awaiting(org.manager_a) == [] and tasks_of(org.operator_a, handling) == []
    # issue 14 item 2: dated the day it is numbered, from its own unit (the page and the send register)
    assert (document.dated, document.from_unit_id) == (today_local(), org.a.id)

    delivery = db.session.scalar(select(Delivery).where(Delivery.document_id == document.id))
    assert (delivery.from_unit_id, delivery.to_unit_id, delivery.status) == (org.a.id, org.b.id, "sent")
    assert "review_delivery" in [task.spec_name for task in my_tasks(org.clerk_b)
                                 if task.instance_id == delivery.workflow_instance_id]
    dispatch = db.session.scalar(select(AuditEvent).where(
        AuditEvent.subject_type == "document", AuditEvent.subject_id == document.id,
        AuditEvent.action == "document.dispatch"))
    assert json.loads(dispatch.detail) == {"to": [OUTSIDE], "method": "ไปรษณีย์ลงทะเบียน"}


def test_a_proposal_withdrawn_after_being_sent_back_takes_no_number(org):
    handling = proposed(org)
    do(services.send_back, org.manager_a, handling, "ยังไม่ถึงเวลาส่ง")
    do(services.withdraw, org.operator_a, handling, "ยกเลิกการประชุม")
    assert handling.status == "withdrawn" and handling.finished_at is not None
    assert queries.open_task(handling) is None and tasks_of(org.operator_a, handling) == []
    assert handling.document.doc_number == "" and not registry_queries.holds_number(handling.document)
    assert db.session.scalar(select(func.count()).select_from(Delivery)
                             .where(Delivery.document_id == handling.document_id)) == 0
