"""Delivery to a unit (flow 1, bpmn/delivery.bpmn): send, read, register, return, recall (R8, R14-R16, R18, R19),
and the races: two clerks registering at once, a recall racing a registration."""
import threading

import pytest
from sqlalchemy import select

from app.core import transactions
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.documents.models import Document, DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.registry.models import RegisterEntry
from app.routing import services
from app.routing.models import Delivery
from app.workflow.models import WorkflowTask
from tests.conftest import committed_app
from tests.factories import make_unit, make_user


def a_document(unit, subject="ขอความร่วมมือสำรวจข้อมูลถนนในเขตจังหวัด", speed="urgent"):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor.system("test"), owner_unit=unit, details=DocumentDetails(
        type=external, subject=subject, speed=speed))
    db.session.commit()
    return document


@pytest.fixture
def world():
    """Unit A sends; units B and C receive. Each has a clerk; B also has an operator."""
    a, b, c = make_unit(name_th="กองคลังส่ง"), make_unit(name_th="กองช่างรับ"), make_unit(name_th="กองการศึกษารับ")
    return {"a": a, "b": b, "c": c, "clerk_a": make_user(unit=a, roles=("clerk",)),
            "clerk_b": make_user(unit=b, roles=("clerk",)), "clerk_c": make_user(unit=c, roles=("clerk",)),
            "operator_b": make_user(unit=b, roles=("operator",))}


def sent(client, login, world, to=("b",), subject="ขอความร่วมมือสำรวจข้อมูลถนนในเขตจังหวัด"):
    document = a_document(world["a"], subject=subject)
    login(client, world["clerk_a"])
    response = client.post(f"/documents/{document.id}/send", data={
        "to_unit_ids": [str(world[key].id) for key in to], "note": "โปรดพิจารณาดำเนินการ"})
    assert response.status_code == 302
    client.post("/logout")
    return document, {key: db.session.scalar(select(Delivery).where(
        Delivery.document_id == document.id, Delivery.to_unit_id == world[key].id)) for key in to}


def test_sending_to_two_units_gives_each_its_own_delivery_and_clerk_task(client, login, world):
    document, deliveries = sent(client, login, world, to=("b", "c"))
    assert {d.status for d in deliveries.values()} == {"sent"}
    assert document.first_sent_at is not None
    for key in ("b", "c"):
        task = db.session.scalar(select(WorkflowTask).where(
            WorkflowTask.instance_id == deliveries[key].workflow_instance_id))
        assert (task.lane, task.unit_id, task.state, task.speed) == ("clerk", world[key].id, "ready", "urgent")


def test_the_receiving_clerk_sees_it_highlighted_and_opening_it_marks_it_read(client, login, world):
    _, deliveries = sent(client, login, world)
    delivery = deliveries["b"]
    login(client, world["clerk_b"])
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "app-new-item" in inbox and "ขอความร่วมมือสำรวจข้อมูลถนน" in inbox
    page = client.get(f"/deliveries/{delivery.id}").get_data(as_text=True)
    assert "โปรดพิจารณาดำเนินการ" in page and "กองคลังส่ง" in page  # the route so far and the note
    assert delivery.status == "read" and delivery.read_by_id == world["clerk_b"].id
    assert "app-new-item" not in client.get("/inbox").get_data(as_text=True)


def test_an_operator_opening_it_does_not_mark_it_read(client, login, world):
    _, deliveries = sent(client, login, world)
    login(client, world["operator_b"])
    client.get(f"/deliveries/{deliveries['b'].id}")
    assert deliveries["b"].status == "sent"


def test_the_clerk_registers_it_without_retyping_and_gets_the_receive_number(client, login, world):
    document, deliveries = sent(client, login, world)
    login(client, world["clerk_b"])
    response = client.post(f"/deliveries/{deliveries['b'].id}/register")
    stamp = client.get(response.location).get_data(as_text=True)
    assert 'app-receipt-number">1<' in stamp
    delivery = deliveries["b"]
    entry = db.session.get(RegisterEntry, delivery.register_entry_id)
    assert (delivery.status, entry.register.unit_id, entry.registrations[0].counterpart_unit_id) == (
        "registered", world["b"].id, world["a"].id)
    task = db.session.scalar(select(WorkflowTask).where(WorkflowTask.instance_id == delivery.workflow_instance_id))
    assert (task.state, task.completed_by_id) == ("completed", world["clerk_b"].id)
    assert "ขอความร่วมมือสำรวจข้อมูลถนน" in client.get(f"/documents/{document.id}").get_data(as_text=True)


def test_registering_twice_is_refused_with_a_clear_message(client, login, world):
    _, deliveries = sent(client, login, world)
    login(client, world["clerk_b"])
    client.post(f"/deliveries/{deliveries['b'].id}/register")
    page = client.post(f"/deliveries/{deliveries['b'].id}/register", follow_redirects=True).get_data(as_text=True)
    assert "ลงรับแล้ว" in page
    assert db.session.query(RegisterEntry).count() == 1


def test_a_return_needs_a_note_and_the_sender_sees_it_at_once(client, login, world):
    _, deliveries = sent(client, login, world)
    delivery = deliveries["b"]
    login(client, world["clerk_b"])
    client.post(f"/deliveries/{delivery.id}/return", data={"note": ""})
    assert delivery.status == "sent"
    client.post(f"/deliveries/{delivery.id}/return", data={"note": "ไม่ใช่งานของกองช่าง"})
    assert (delivery.status, delivery.return_note) == ("returned", "ไม่ใช่งานของกองช่าง")
    client.post("/logout")
    login(client, world["clerk_a"])
    sent_page = client.get("/sent").get_data(as_text=True)
    assert "app-returned-item" in sent_page and "ไม่ใช่งานของกองช่าง" in sent_page and "กองช่างรับ" in sent_page


def test_the_sender_recalls_before_registration_even_after_it_was_read(client, login, world):
    _, deliveries = sent(client, login, world)
    delivery = deliveries["b"]
    login(client, world["clerk_b"])
    client.get(f"/deliveries/{delivery.id}")  # read
    client.post("/logout")
    login(client, world["clerk_a"])
    client.post(f"/deliveries/{delivery.id}/recall")
    assert delivery.status == "recalled"
    client.post("/logout")
    login(client, world["clerk_b"])
    assert "ขอความร่วมมือสำรวจข้อมูลถนน" not in client.get("/inbox").get_data(as_text=True)
    assert client.get(f"/documents/{delivery.document_id}").status_code == 404
    assert client.get(f"/deliveries/{delivery.id}").status_code == 404


def test_a_recall_after_registration_is_refused_by_the_engine(client, login, world):
    _, deliveries = sent(client, login, world)
    delivery = deliveries["b"]
    login(client, world["clerk_b"])
    client.post(f"/deliveries/{delivery.id}/register")
    client.post("/logout")
    login(client, world["clerk_a"])
    page = client.post(f"/deliveries/{delivery.id}/recall", follow_redirects=True).get_data(as_text=True)
    assert "สายเกินไป" in page and delivery.status == "registered"


def test_outsiders_and_the_wrong_unit_cannot_act_on_a_delivery(client, login, world):
    _, deliveries = sent(client, login, world, to=("b", "c"))
    login(client, world["clerk_c"])
    assert client.get(f"/deliveries/{deliveries['b'].id}").status_code == 404
    assert client.post(f"/deliveries/{deliveries['b'].id}/register").status_code == 404
    client.post("/logout")
    login(client, world["clerk_b"])
    assert client.post(f"/deliveries/{deliveries['b'].id}/recall").status_code == 403
    assert deliveries["b"].status == "sent"


def test_my_work_lists_the_clerks_open_tasks_most_urgent_first(client, login, world):
    sent(client, login, world, subject="เรื่องปกติ")
    document = a_document(world["a"], subject="เรื่องด่วนที่สุด", speed="most_urgent")
    services.send(Actor(user=world["clerk_a"]), document, from_unit=world["a"], to_units=[world["b"]])
    db.session.commit()
    login(client, world["clerk_b"])
    page = client.get("/tasks").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tr>")
    assert page.count("ลงรับหรือตีกลับ") == 2
    assert "ด่วนที่สุด" in rows[0] and "ด่วนที่สุด" not in rows[1]


def test_a_unit_cannot_send_to_itself_or_twice_to_a_unit_still_holding_it(world):
    document = a_document(world["a"])
    actor = Actor(user=world["clerk_a"])
    with pytest.raises(BusinessRuleError):
        services.send(actor, document, from_unit=world["a"], to_units=[world["a"]])
    services.send(actor, document, from_unit=world["a"], to_units=[world["b"]])
    with pytest.raises(BusinessRuleError):
        services.send(actor, document, from_unit=world["a"], to_units=[world["b"]])


# ---- races: committed data, two connections -----------------------------------------------------------

@pytest.fixture
def committed():
    with committed_app("_routing") as application:
        yield application


def prepared_delivery(application):
    with application.app_context():
        a, b = make_unit(), make_unit()
        clerk_a, clerk_b1, clerk_b2 = (make_user(unit=a, roles=("clerk",)), make_user(unit=b, roles=("clerk",)),
                                       make_user(unit=b, roles=("clerk",)))
        document = a_document(a)
        delivery = services.send(Actor(user=clerk_a), document, from_unit=a, to_units=[b])[0]
        db.session.commit()
        return delivery.id, clerk_a.id, clerk_b1.id, clerk_b2.id


def race(application, *steps):
    """Run each (user_id, action) in its own thread and transaction, all at once; return their outcomes."""
    from app.org.models import User

    outcomes, barrier = {}, threading.Barrier(len(steps))

    def run(index, user_id, action):
        with application.app_context():
            delivery = db.session.get(Delivery, delivery_id)
            barrier.wait()
            try:
                action(Actor(user=db.session.get(User, user_id)), delivery)
                db.session.commit()
                outcomes[index] = "ok"
            except BusinessRuleError as error:
                db.session.rollback()
                outcomes[index] = str(error.message)

    delivery_id = steps[0][0]
    threads = [threading.Thread(target=run, args=(i, user_id, action)) for i, (_, user_id, action) in
               enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.own_database
def test_two_clerks_registering_at_once_one_wins_the_other_is_told(committed):
    delivery_id, _, clerk_1, clerk_2 = prepared_delivery(committed)
    outcomes = race(committed, (delivery_id, clerk_1, services.register), (delivery_id, clerk_2, services.register))
    assert list(outcomes.values()).count("ok") == 1
    assert any("ลงรับแล้ว" in outcome for outcome in outcomes.values())
    with committed.app_context():
        assert db.session.query(RegisterEntry).count() == 1
        assert db.session.get(Delivery, delivery_id).status == "registered"


@pytest.mark.own_database
@pytest.mark.parametrize("attempt", range(3))
def test_a_recall_racing_a_registration_exactly_one_wins(committed, attempt):
    delivery_id, sender, clerk, _ = prepared_delivery(committed)
    outcomes = race(committed, (delivery_id, clerk, services.register), (delivery_id, sender, services.recall))
    assert list(outcomes.values()).count("ok") == 1
    with committed.app_context():
        delivery = db.session.get(Delivery, delivery_id)
        entries = db.session.query(RegisterEntry).filter_by(document_id=delivery.document_id).count()
        task = db.session.scalar(select(WorkflowTask).where(WorkflowTask.instance_id == delivery.workflow_instance_id))
        if outcomes[0] == "ok":
            assert (delivery.status, entries, task.state) == ("registered", 1, "completed")
        else:
            assert (delivery.status, entries) == ("recalled", 0) and task.state != "ready"


def test_the_timeline_shows_every_step_with_people_and_time_spent(client, login, world):
    document, deliveries = sent(client, login, world)
    login(client, world["clerk_b"])
    client.get(f"/deliveries/{deliveries['b'].id}")
    client.post(f"/deliveries/{deliveries['b'].id}/register")
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    timeline = page.split("ลำดับเหตุการณ์")[1]
    for step in ("สร้างเรื่อง", "ส่งถึงหน่วยงาน", "ผู้รับเปิดอ่านแล้ว", "ลงทะเบียน", "ผู้รับลงรับแล้ว"):
        assert step in timeline, step
    assert world["clerk_b"].full_name_th in timeline and "กองช่างรับ" in timeline
    assert "ไม่ถึง 1 นาที" in timeline


def test_the_route_view_lists_only_unit_to_unit_records(client, login, world):
    document, deliveries = sent(client, login, world, to=("b", "c"))
    login(client, world["clerk_b"])
    client.post(f"/deliveries/{deliveries['b'].id}/return", data={"note": "ส่งผิดหน่วย"})
    page = client.get(f"/documents/{document.id}/route").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2
    assert "กองช่างรับ" in rows and "กองการศึกษารับ" in rows and "ส่งผิดหน่วย" in rows
    assert "สร้างเรื่อง" not in rows


# ---- distribution lists (flow 4: one send, many independent deliveries) -------------------------------

def saved_list(client, login, world, name="ทุกกองรับ", members=("b", "c")):
    login(client, world["clerk_a"])
    response = client.post("/distribution-lists", data={"name": name,
                                                         "member_unit_ids": [str(world[k].id) for k in members]})
    assert response.status_code == 302, response.get_data(as_text=True)
    from app.routing.models import DistributionList
    return db.session.scalar(select(DistributionList).where(DistributionList.name == name))


def test_a_circular_sent_to_a_saved_list_reaches_every_unit_once(client, login, world):
    saved = saved_list(client, login, world)
    document = a_document(world["a"], subject="หนังสือเวียนแจ้งทุกกอง")
    client.post(f"/documents/{document.id}/send", data={"list_id": str(saved.id),
                                                        "to_unit_ids": [str(world["b"].id)]})
    deliveries = db.session.scalars(select(Delivery).where(Delivery.document_id == document.id)).all()
    assert sorted(d.to_unit_id for d in deliveries) == sorted([world["b"].id, world["c"].id])
    assert len({d.workflow_instance_id for d in deliveries}) == 2


def test_a_list_needs_a_name_of_its_own(client, login, world):
    saved_list(client, login, world)
    page = client.post("/distribution-lists", data={"name": "ทุกกองรับ", "member_unit_ids": [str(world["b"].id)]})
    assert "มีรายชื่อชื่อ ทุกกองรับ อยู่แล้ว" in page.get_data(as_text=True)


def test_a_list_no_longer_used_is_not_offered_and_another_units_list_cannot_be_used(client, login, world):
    saved = saved_list(client, login, world)
    client.post(f"/distribution-lists/{saved.id}/active/0")
    document = a_document(world["a"])
    assert f'<option value="{saved.id}">' not in client.get(f"/documents/{document.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, world["clerk_b"])
    other = a_document(world["b"])
    client.post(f"/documents/{other.id}/send", data={"list_id": str(saved.id)})
    assert db.session.scalars(select(Delivery).where(Delivery.document_id == other.id)).all() == []


# ---- one way to send (issue 14 item 3) --------------------------------------------------------------------

def registered_by_b(client, login, world):
    """A sends a letter to B and B's clerk registers it: B's work on it waits at the clerk's triage step."""
    document, deliveries = sent(client, login, world)
    login(client, world["clerk_b"])
    assert client.post(f"/deliveries/{deliveries['b'].id}/register").status_code == 302
    return document


def my_work_subjects(client):
    return client.get("/tasks").get_data(as_text=True)


def test_sending_a_letter_on_from_the_document_page_ends_the_clerks_own_task(client, login, world):
    document = registered_by_b(client, login, world)
    assert document.subject in my_work_subjects(client)  # the triage step: "พิจารณาส่งต่อภายในหน่วยงาน"

    response = client.post(f"/documents/{document.id}/send", data={"to_unit_ids": [str(world["c"].id)],
                                                                  "list_id": "0", "note": "เพื่อดำเนินการ"})
    assert response.status_code == 302
    assert document.subject not in my_work_subjects(client)  # before: it stayed there, one more of seven
    to_c = db.session.scalar(select(Delivery).where(Delivery.document_id == document.id,
                                                    Delivery.to_unit_id == world["c"].id))
    from_a = db.session.scalar(select(Delivery).where(Delivery.document_id == document.id,
                                                      Delivery.to_unit_id == world["b"].id))
    assert (to_c.from_unit_id, to_c.parent_id, to_c.status) == (world["b"].id, from_a.id, "sent")
    client.post("/logout")
    login(client, world["clerk_c"])
    assert document.subject in my_work_subjects(client)


def test_a_copy_sent_while_an_operator_works_on_it_leaves_the_operators_task_alone(client, login, world):
    from app.handling import queries as handling_queries
    from app.handling import services as handling

    document = registered_by_b(client, login, world)
    work = handling_queries.open_handling(document, world["b"])
    handling.assign(Actor(user=world["clerk_b"]), work, operator=world["operator_b"])
    db.session.commit()

    client.post(f"/documents/{document.id}/send", data={"to_unit_ids": [str(world["c"].id)], "list_id": "0"})
    assert db.session.scalar(select(Delivery.id).where(Delivery.document_id == document.id,
                                                       Delivery.to_unit_id == world["c"].id)) is not None
    assert handling_queries.open_task(work).spec_name == "work"
    client.post("/logout")
    login(client, world["operator_b"])
    assert document.subject in my_work_subjects(client)


def test_sent_items_offer_recall_to_the_sending_clerk_only_and_only_while_it_waits(client, login, world):
    """R18 on the Sent list: the Recall button follows permissions.may_recall, asked once for the whole list."""
    operator_a = make_user(unit=world["a"], roles=("operator",))
    document, deliveries = sent(client, login, world, to=("b", "c"))
    services.register(Actor(user=world["clerk_c"]), deliveries["c"])
    db.session.commit()
    recall_b, recall_c = (f"/deliveries/{deliveries[key].id}/recall" for key in ("b", "c"))

    login(client, world["clerk_a"])
    page = client.get("/sent").get_data(as_text=True)
    assert recall_b in page and recall_c not in page  # C registered it: too late
    client.post("/logout")
    login(client, operator_a)
    page = client.get("/sent").get_data(as_text=True)
    assert "กองช่างรับ" in page and recall_b not in page


@pytest.mark.own_database
def test_many_clerks_sending_to_shared_units_at_once_all_get_through(committed):
    """Issue 17 item 3: four clerks send letters at the same moment to the same two units, in opposite
    orders, whose clerks have LINE linked (the grouping of their pushes once deadlocked sends). No send
    fails, and every unit gets every letter with one task for its clerk."""
    from app.notifications.models import LineAccount
    from app.org.models import User

    rounds = 8
    with committed.app_context():
        b, c = make_unit(), make_unit()
        for index, unit in enumerate((b, c)):
            receiver = make_user(unit=unit, roles=("clerk",))
            db.session.add(LineAccount(user_id=receiver.id, line_user_id=f"U{index:032d}"))
        senders = [make_user(unit=make_unit(), roles=("clerk",)) for _ in range(4)]
        documents = {sender.id: [a_document(sender.unit, subject=f"หนังสือที่ {n}").id for n in range(rounds)]
                     for sender in senders}
        plan = [(sender.id, sender.unit_id, [b.id, c.id] if index % 2 else [c.id, b.id])
                for index, sender in enumerate(senders)]
        db.session.commit()
        targets = (b.id, c.id)
    failures, barrier = [], threading.Barrier(len(plan))

    def send_all(user_id, unit_id, to_ids):
        from app.org.models import Unit

        with committed.app_context():
            barrier.wait()
            for document_id in documents[user_id]:
                try:  # as the send view does it
                    transactions.commit(lambda: services.send(
                        Actor(user=db.session.get(User, user_id)), db.session.get(Document, document_id),
                        from_unit=db.session.get(Unit, unit_id), to_units=[db.session.get(Unit, to) for to in to_ids]))
                except Exception as error:  # what the clerk would have seen as a server error
                    failures.append(repr(error))

    threads = [threading.Thread(target=send_all, args=step) for step in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    with committed.app_context():
        for unit_id in targets:
            assert db.session.query(Delivery).filter_by(to_unit_id=unit_id).count() == 4 * rounds
