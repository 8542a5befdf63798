"""R34 and secrecy, endpoint by endpoint: every route that takes a document, attachment or register entry is
tried by a user of an unrelated unit (refused, nothing changes) and, for a classified document, by a user of
the same unit without clearance (never sees the subject or a file, cannot act)."""
import io
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.attachments import queries as attachment_queries
from app.attachments import services as attachments
from app.core.actor import Actor
from app.core.models import AuditEvent
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.handling import queries as handling_queries
from app.handling import services as handling_services
from app.registry import services as registry
from app.routing import services as routing
from app.routing.models import Delivery
from tests.factories import make_unit, make_user
from tests.unit.test_filetypes import pdf_bytes

SUBJECT = "เรื่องทดสอบสิทธิ์การเข้าถึง ลับเฉพาะ"
FILE_NAME = "เอกสารแนบลับ.pdf"
ID_ARGUMENTS = {"document_id", "attachment_id", "entry_id"}
# Pages that show an uncleared insider that a classified document exists, never its subject or files.
# Pages (and actions) for whoever may know the document exists: they show no subject or file of a
# classified one. Following it (R30) is such an action: the follow-up list hides the subject too.
EXISTENCE_PAGES = {"documents.detail", "documents.route", "followups.follow", "followups.unfollow"}


@pytest.fixture(autouse=True)
def files_path(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILES_PATH", str(tmp_path / "files"))


def routes(app):
    """(method, rule, endpoint) of every route that takes one of our ids."""
    for rule in app.url_map.iter_rules():
        if rule.arguments & ID_ARGUMENTS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule


def build_url(rule, ids):
    values = {name: ids[name] for name in rule.arguments if name in ids}
    values.update({name: 1 for name in rule.arguments - set(values)})  # e.g. <active>
    return rule.build(values)[1]


def a_document(secrecy):
    unit = make_unit(letter_code="ลย 51055")
    clerk = make_user(unit=unit, roles=("clerk",))
    actor = Actor(user=clerk)
    document = create_document(actor, owner_unit=unit, details=DocumentDetails(
        type=db.session.scalar(select(DocumentType).where(DocumentType.code == "external")), subject=SUBJECT,
        secrecy=secrecy))
    entry = registry.issue_number(actor, registry.default_register(unit, "receive"), document)
    attachment = attachments.attach(actor, document, unit=unit, filename=FILE_NAME, stream=io.BytesIO(pdf_bytes()))
    db.session.commit()
    return unit, {"document_id": document.id, "attachment_id": attachment.id, "entry_id": entry.id}


def audit_count():
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_user_of_an_unrelated_unit_is_refused_everywhere(app, client, login):
    _, ids = a_document("normal")
    login(client, make_user(roles=("clerk", "manager", "operator")))
    before = audit_count()
    tried = []
    for method, rule in routes(app):
        if not rule.arguments & {"document_id", "attachment_id"}:
            continue
        response = client.open(build_url(rule, ids), method=method, data={"reason": "x", "new_due_date": "2027-01-01"})
        tried.append(rule.endpoint)
        assert response.status_code in (403, 404), (method, rule.rule, response.status_code)
        assert SUBJECT not in response.get_data(as_text=True)
    assert audit_count() == before
    assert {"documents.detail", "attachments.download", "attachments.delete"} <= set(tried)


def test_a_user_without_clearance_never_sees_a_classified_subject_or_file(app, client, login):
    unit, ids = a_document("secret")
    login(client, make_user(unit=unit, roles=("operator",)))
    before = audit_count()
    for method, rule in routes(app):
        if not rule.arguments & {"document_id", "attachment_id"}:
            continue
        response = client.open(build_url(rule, ids), method=method, data={"reason": "x", "new_due_date": "2027-01-01"})
        page = response.get_data(as_text=True)
        assert SUBJECT not in page and FILE_NAME not in page, (method, rule.rule)
        if rule.endpoint not in EXISTENCE_PAGES:
            assert response.status_code in (403, 404), (method, rule.rule, response.status_code)
        assert not response.data.startswith(b"%PDF")
    assert audit_count() == before
    listing = client.get("/documents").get_data(as_text=True)
    assert SUBJECT not in listing and "ลับมาก" in listing


def test_a_cleared_clerk_reads_the_classified_document_and_each_read_is_recorded(client, login):
    unit, ids = a_document("secret")
    login(client, make_user(unit=unit, roles=("clerk",)))
    assert SUBJECT in client.get(f"/documents/{ids['document_id']}").get_data(as_text=True)
    assert client.get(f"/attachments/{ids['attachment_id']}/download").data.startswith(b"%PDF")
    reads = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "document.read_classified"))
    assert len(list(reads)) == 2


# ---- the matrix (issue 12 items 2 and 6): who may do what, in each state of a letter ----------------------
#
# Unit A owns a letter naming unit B as its recipient. Each situation below builds the letter in one state;
# every person then tries every page and action on it, each try in a savepoint rolled back afterwards, so
# each starts from the same state. An outcome is "ok" (page shown, or the action done and visible in the
# database), "no" (the action was allowed to be asked but refused in words: nothing changed), 403, 404, or
# "-" where the situation has nothing to try it on.

PEOPLE = ("a_clerk", "a_manager", "a_writer", "a_operator", "b_clerk", "b_operator", "c_clerk", "outsider")
TRIES = ("view", "route", "file", "due_date", "attach", "delete_file", "delete", "send_number", "send",
         "cancel", "recall", "register", "forward")
NEW_DUE = date(2027, 1, 15)


@pytest.fixture
def world():
    a, b, c = make_unit(letter_code="ลย 51071"), make_unit(letter_code="ลย 51072"), make_unit(letter_code="ลย 51073")
    return SimpleNamespace(
        a=a, b=b, c=c, d=make_unit(letter_code="ลย 51074"),
        a_clerk=make_user(unit=a, roles=("clerk",)), a_manager=make_user(unit=a, roles=("manager",)),
        a_writer=make_user(unit=a, roles=("operator",)), a_operator=make_user(unit=a, roles=("operator",)),
        b_clerk=make_user(unit=b, roles=("clerk",)), b_operator=make_user(unit=b, roles=("operator",)),
        c_clerk=make_user(unit=c, roles=("clerk",)),
        outsider=make_user(unit=make_unit(), roles=("clerk", "manager", "operator")))


def letter(w, *, secrecy="normal", writer="a_writer"):
    """A's letter to B, written by `writer`, with a file A attached."""
    document = create_document(Actor(user=getattr(w, writer)), owner_unit=w.a, details=DocumentDetails(
        type=db.session.scalar(select(DocumentType).where(DocumentType.code == "external")), subject=SUBJECT,
        secrecy=secrecy, recipient_units=[w.b]))
    attachment = attachments.attach(Actor(user=w.a_clerk), document, unit=w.a, filename=FILE_NAME,
                                    stream=io.BytesIO(pdf_bytes()))
    return document, attachment


def situation(w, name):
    """The letter in state `name`: (document, attachment, delivery, register entry, handling)."""
    secrecy, writer = ("secret", "a_clerk") if name == "secret draft" else ("normal", "a_writer")
    document, attachment = letter(w, secrecy=secrecy, writer=writer)
    delivery = entry = handling = None
    if name not in ("draft", "secret draft"):
        [delivery] = routing.send(Actor(user=w.a_clerk), document, from_unit=w.a, to_units=[w.b])
    if name == "returned":
        routing.return_to_sender(Actor(user=w.b_clerk), delivery, "ไม่ใช่งานของหน่วยนี้")
    if name == "recalled":
        routing.recall(Actor(user=w.a_clerk), delivery)
    if name in ("registered", "forwarded"):
        entry = handling_services.register_delivery(Actor(user=w.b_clerk), delivery)
        handling = handling_queries.open_handling(document, w.b)
    if name == "forwarded":
        [delivery] = handling_services.forward(Actor(user=w.b_clerk), handling, to_units=[w.c])
    db.session.commit()
    return SimpleNamespace(document=document, attachment=attachment, delivery=delivery, entry=entry,
                           handling=handling)


def request_for(try_name, s):
    """(method, url, form data, what it changes) for one try on situation `s`; None if there is nothing to try."""
    doc, att = s.document, s.attachment
    deliveries_to_d = lambda: db.session.scalar(select(func.count()).select_from(Delivery).where(  # noqa: E731
        Delivery.document_id == doc.id, Delivery.to_unit_id == s.d_id))
    files = lambda: len(attachment_queries.current_attachments(doc))  # noqa: E731
    if try_name == "view":
        return "GET", f"/documents/{doc.id}", None, None
    if try_name == "route":
        return "GET", f"/documents/{doc.id}/route", None, None
    if try_name == "file":
        return "GET", f"/attachments/{att.id}/download", None, None
    if try_name == "due_date":
        return "POST", f"/documents/{doc.id}/due-date", {"new_due_date": NEW_DUE.isoformat(), "reason": "ขยาย"}, \
            lambda: doc.due_date
    if try_name == "attach":
        return "POST", f"/attachments/documents/{doc.id}", {"files": [(io.BytesIO(pdf_bytes("more")), "เพิ่ม.pdf")]}, files
    if try_name == "delete_file":
        return "POST", f"/attachments/{att.id}/delete", {}, lambda: att.deleted_at
    if try_name == "delete":
        return "POST", f"/documents/{doc.id}/delete", {}, lambda: doc.deleted_at
    if try_name == "send_number":
        return "POST", f"/documents/{doc.id}/send-number", {}, lambda: doc.doc_number
    if try_name == "send":
        return "POST", f"/documents/{doc.id}/send", {"to_unit_ids": [str(s.d_id)]}, deliveries_to_d
    if try_name == "cancel" and s.entry is not None:
        return "POST", f"/documents/{doc.id}/entries/{s.entry.id}/cancel", {"reason": "ลงรับผิด"}, \
            lambda: s.entry.cancelled_at
    if try_name == "recall" and s.delivery is not None:
        return "POST", f"/deliveries/{s.delivery.id}/recall", {}, lambda: s.delivery.recalled_at
    if try_name == "register" and s.delivery is not None:
        return "POST", f"/deliveries/{s.delivery.id}/register", {}, lambda: s.delivery.registered_at
    if try_name == "forward" and s.handling is not None:
        prefix = f"forward-{s.handling.id}"
        return "POST", f"/handlings/{s.handling.id}/forward", {f"{prefix}-to_unit_ids": [str(s.d_id)]}, \
            deliveries_to_d
    return None


def outcome(client, try_name, s):
    """Try it in a savepoint and roll it back, so the next try starts from the same state."""
    asked = request_for(try_name, s)
    if asked is None:
        return "-"
    method, url, data, observe = asked
    before = observe() if observe else None
    savepoint = db.session.connection().begin_nested()
    try:
        response = client.open(url, method=method, data=data, content_type="multipart/form-data")
        db.session.expire_all()
        page = response.get_data(as_text=True)
        if s.document.is_classified and response.status_code != 302:
            assert SUBJECT not in page or try_name in ("view", "route") and response.status_code == 200
        if response.status_code in (403, 404):
            return response.status_code
        if observe is None:
            assert response.status_code == 200, (try_name, response.status_code)
            return "ok"
        assert response.status_code == 302, (try_name, response.status_code)
        return "ok" if observe() != before else "no"
    finally:
        savepoint.rollback()
        db.session.expire_all()


def table(app, login, w, s):
    s.d_id = w.d.id
    found = {}
    for person in PEOPLE:
        client = app.test_client()
        login(client, getattr(w, person))
        found[person] = " ".join(str(outcome(client, try_name, s)).ljust(3) for try_name in TRIES).rstrip()
    return found


def expected(rows):
    return {person: " ".join(cell.ljust(3) for cell in row.split()).rstrip() for person, row in rows.items()}


NOBODY = "404 404 404 404 404 404 404 404 404 -   -   -   -"

#            view route file due attach del_file delete send_no send cancel recall register forward
MATRIX = {
    # A draft is A's alone: the named recipient B sees nothing (item 2); its writers (creator, A's clerks
    # and manager) act on it; A's other operators only read it; the send number is the clerks'.
    "draft": {
        "a_clerk":    "ok  ok  ok  ok  ok  ok  ok  ok  ok  -   -   -   -",
        "a_manager":  "ok  ok  ok  ok  ok  ok  ok  403 ok  -   -   -   -",
        "a_writer":   "ok  ok  ok  ok  ok  ok  ok  403 ok  -   -   -   -",
        "a_operator": "ok  ok  ok  403 403 403 403 403 403 -   -   -   -",
        "b_clerk": NOBODY, "b_operator": NOBODY, "c_clerk": NOBODY, "outsider": NOBODY,
    },
    # Classified: A's people who are not cleared know it exists and can do nothing with it.
    "secret draft": {
        "a_clerk":    "ok  ok  ok  ok  ok  ok  ok  ok  ok  -   -   -   -",
        "a_manager":  "ok  ok  ok  ok  ok  ok  ok  403 ok  -   -   -   -",
        "a_writer":   "ok  ok  403 403 403 403 403 403 403 -   -   -   -",
        "a_operator": "ok  ok  403 403 403 403 403 403 403 -   -   -   -",
        "b_clerk": NOBODY, "b_operator": NOBODY, "c_clerk": NOBODY, "outsider": NOBODY,
    },
    # Sent, waiting at B: B's clerk may only register (or return) it; once sent, a draft's writer who is no
    # clerk or manager no longer sends it, recalls it or changes its due date.
    "sent": {
        "a_clerk":    "ok  ok  ok  ok  ok  ok  no  ok  ok  -   ok  403 -",
        "a_manager":  "ok  ok  ok  ok  ok  ok  no  403 ok  -   ok  403 -",
        "a_writer":   "ok  ok  ok  403 ok  ok  no  403 403 -   403 403 -",
        "a_operator": "ok  ok  ok  403 ok  ok  403 403 403 -   403 403 -",
        "b_clerk":    "ok  ok  ok  403 403 403 403 403 403 -   403 ok  -",
        "b_operator": "ok  ok  ok  403 403 403 403 403 403 -   403 403 -",
        "c_clerk":    "404 404 404 404 404 404 404 404 404 -   404 404 -",
        "outsider":   "404 404 404 404 404 404 404 404 404 -   404 404 -",
    },
    # Registered by B: B holds it now (due date, files, passing it on, its own register number, the
    # forward step); A may no longer recall it, nor number a letter B has numbered (refused in words).
    "registered": {
        "a_clerk":    "ok  ok  ok  ok  ok  ok  no  no  ok  403 no  403 403",
        "a_manager":  "ok  ok  ok  ok  ok  ok  no  403 ok  403 no  403 403",
        "a_writer":   "ok  ok  ok  403 ok  ok  no  403 403 403 403 403 403",
        "a_operator": "ok  ok  ok  403 ok  ok  403 403 403 403 403 403 403",
        "b_clerk":    "ok  ok  ok  ok  ok  403 403 403 ok  ok  403 no  ok",
        "b_operator": "ok  ok  ok  403 ok  403 403 403 403 403 403 403 403",
        "c_clerk":    "404 404 404 404 404 404 404 404 404 404 404 404 404",
        "outsider":   "404 404 404 404 404 404 404 404 404 404 404 404 404",
    },
    # Returned by B: B still sees what it returned and may do nothing more with it (item 6).
    "returned": {
        "a_clerk":    "ok  ok  ok  ok  ok  ok  no  ok  ok  -   no  403 -",
        "a_manager":  "ok  ok  ok  ok  ok  ok  no  403 ok  -   no  403 -",
        "a_writer":   "ok  ok  ok  403 ok  ok  no  403 403 -   403 403 -",
        "a_operator": "ok  ok  ok  403 ok  ok  403 403 403 -   403 403 -",
        "b_clerk":    "ok  ok  ok  403 403 403 403 403 403 -   403 no  -",
        "b_operator": "ok  ok  ok  403 403 403 403 403 403 -   403 403 -",
        "c_clerk":    "404 404 404 404 404 404 404 404 404 -   404 404 -",
        "outsider":   "404 404 404 404 404 404 404 404 404 -   404 404 -",
    },
    # Recalled by A: gone from B (R18), although B is still named as its recipient (item 2).
    "recalled": {
        "a_clerk":    "ok  ok  ok  ok  ok  ok  no  ok  ok  -   no  403 -",
        "a_manager":  "ok  ok  ok  ok  ok  ok  no  403 ok  -   no  403 -",
        "a_writer":   "ok  ok  ok  403 ok  ok  no  403 403 -   403 403 -",
        "a_operator": "ok  ok  ok  403 ok  ok  403 403 403 -   403 403 -",
        "b_clerk":    "404 404 404 404 404 404 404 404 404 -   404 404 -",
        "b_operator": "404 404 404 404 404 404 404 404 404 -   404 404 -",
        "c_clerk":    "404 404 404 404 404 404 404 404 404 -   404 404 -",
        "outsider":   "404 404 404 404 404 404 404 404 404 -   404 404 -",
    },
    # B registered it and forwarded it to C (the delivery tried is B -> C): C may only register it; B's
    # clerk may recall it from C; B's work is finished, so its forward step is gone (refused in words).
    "forwarded": {
        "a_clerk":    "ok  ok  ok  ok  ok  ok  no  no  ok  403 404 404 no",
        "a_manager":  "ok  ok  ok  ok  ok  ok  no  403 ok  403 404 404 no",
        "a_writer":   "ok  ok  ok  403 ok  ok  no  403 403 403 404 404 no",
        "a_operator": "ok  ok  ok  403 ok  ok  403 403 403 403 404 404 no",
        "b_clerk":    "ok  ok  ok  ok  ok  403 403 403 ok  ok  ok  403 no",
        "b_operator": "ok  ok  ok  403 ok  403 403 403 403 403 403 403 no",
        "c_clerk":    "ok  ok  ok  403 403 403 403 403 403 403 403 ok  no",
        "outsider":   "404 404 404 404 404 404 404 404 404 404 404 404 404",
    },
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_each_person_may_do_what_the_rules_say_in_each_state_of_a_letter(app, login, world, name):
    """Issue 12 items 2 and 6, R34: one rule per action, the same for the page and the action."""
    assert table(app, login, world, situation(world, name)) == expected(MATRIX[name])


def test_a_service_called_directly_refuses_who_the_page_refuses_and_writes_nothing(world):
    """Issue 12 item 6: the rule is checked in the service too, so a job or a script is held to it."""
    from app.core.errors import BusinessRuleError
    from app.documents import services as documents

    s = situation(world, "sent")
    operator, b_clerk = Actor(user=world.a_operator), Actor(user=world.b_clerk)
    before = audit_count()
    refused = [
        lambda: documents.change_due_date(operator, s.document, new_due_date=NEW_DUE, reason="ขยาย"),
        lambda: documents.issue_send_number(operator, s.document),
        lambda: routing.send(operator, s.document, from_unit=world.a, to_units=[world.d]),
        lambda: routing.recall(operator, s.delivery),
        lambda: routing.send(b_clerk, s.document, from_unit=world.b, to_units=[world.d]),
        lambda: attachments.attach(b_clerk, s.document, unit=world.b, filename="ของ ข.pdf",
                                   stream=io.BytesIO(pdf_bytes())),
    ]
    for call in refused:
        with pytest.raises(BusinessRuleError, match="ท่านไม่มีสิทธิ์ดำเนินการนี้กับหนังสือฉบับนี้"):
            call()
        db.session.rollback()
    assert (s.document.due_date, s.document.doc_number, s.delivery.status) == (None, "", "sent")
    assert audit_count() == before


def test_the_operator_who_writes_a_classified_draft_reads_and_sends_it_and_a_colleague_does_not(client, login):
    """R34: the writer of a ลับมาก draft is cleared for it; another operator of the unit only sees it exists."""
    unit, target = make_unit(), make_unit()
    writer, colleague = make_user(unit=unit), make_user(unit=unit)
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    draft = create_document(Actor(user=writer), owner_unit=unit, details=DocumentDetails(
        type=external, subject="แผนรักษาความปลอดภัยคลังพัสดุ", secrecy="secret"))
    db.session.commit()

    login(client, colleague)
    assert "แผนรักษาความปลอดภัย" not in client.get(f"/documents/{draft.id}").get_data(as_text=True)
    assert client.post(f"/documents/{draft.id}/send", data={"to_unit_ids": target.id, "list_id": 0}).status_code == 403
    client.post("/logout")

    login(client, writer)
    assert "แผนรักษาความปลอดภัยคลังพัสดุ" in client.get(f"/documents/{draft.id}").get_data(as_text=True)
    client.post(f"/documents/{draft.id}/send", data={"to_unit_ids": target.id, "list_id": 0})
    assert db.session.scalars(select(Delivery.to_unit_id).where(Delivery.document_id == draft.id)).all() == [target.id]
