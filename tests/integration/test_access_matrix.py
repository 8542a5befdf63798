"""R34 and secrecy, endpoint by endpoint: every route that takes a document, attachment or register entry is
tried by a user of an unrelated unit (refused, nothing changes) and, for a classified document, by a user of
the same unit without clearance (never sees the subject or a file, cannot act)."""
import io

import pytest
from sqlalchemy import func, select

from app.attachments import services as attachments
from app.core.actor import Actor
from app.core.models import AuditEvent
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document
from app.extensions import db
from app.registry import services as registry
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
