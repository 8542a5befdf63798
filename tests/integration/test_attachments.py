"""Attachments (R10, R35) and who may read them (R34, secrecy). Every file is built in code."""
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.attachments import queries, services
from app.attachments.filetypes import KINDS
from app.attachments.models import Attachment
from app.core.actor import Actor
from app.core.errors import BusinessRuleError
from app.core.models import AuditEvent
from app.documents.models import DocumentType
from app.documents.services import DocumentDetails, create_document, delete_draft
from app.extensions import db
from app.routing import services as routing
from tests.factories import make_unit, make_user
from tests.unit.test_filetypes import SAMPLES, ooxml_bytes, pdf_bytes, png_bytes

THAI_NAME = "หนังสือเชิญประชุม ครั้งที่ 1-2569.pdf"


@pytest.fixture(autouse=True)
def files_path(app, tmp_path, monkeypatch):
    path = tmp_path / "files"
    monkeypatch.setitem(app.config, "FILES_PATH", str(path))
    return path


@pytest.fixture
def owner_unit():
    return make_unit(name_th="กองคลังทดสอบ")


@pytest.fixture
def other_unit():
    return make_unit(name_th="กองช่างทดสอบ")


@pytest.fixture
def clerk(owner_unit):
    return make_user(unit=owner_unit, roles=("clerk",))


def make_document(owner_unit, *, secrecy="normal", recipients=(), subject="ขอเชิญประชุมคณะกรรมการ"):
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    document = create_document(Actor.system("test"), owner_unit=owner_unit, details=DocumentDetails(
        type=external, subject=subject, secrecy=secrecy, recipient_units=list(recipients)))
    db.session.commit()
    return document


def registered_by(unit, document, sender):
    """The document sent to `unit` and registered there: only then is it that unit's to work on (issue 12
    item 2: the units named as a draft's recipients are only addresses)."""
    [delivery] = routing.send(Actor(user=sender), document, from_unit=sender.unit, to_units=[unit])
    clerk = make_user(unit=unit, roles=("clerk",))
    routing.register(Actor(user=clerk), delivery)
    db.session.commit()
    return clerk


def attach_as(user, document, filename=THAI_NAME, data=None):
    attachment = services.attach(Actor(user=user), document, unit=user.unit, filename=filename,
                                 stream=io.BytesIO(pdf_bytes() if data is None else data))
    db.session.commit()
    return attachment


def upload(client, document, *files):
    return client.post(f"/attachments/documents/{document.id}", follow_redirects=True,
                       content_type="multipart/form-data",
                       data={"files": [(io.BytesIO(data), name) for name, data in files]})


def stored_files(files_path):
    return sorted(path for path in files_path.rglob("*") if path.is_file())


def thai(message, **variables):
    with force_locale("th"):
        return gettext(message, **variables)


def audit_events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


# ---- attaching (R35) -----------------------------------------------------------------------------------

def test_a_clerk_attaches_several_files_and_sees_them_listed(client, login, clerk, owner_unit, files_path):
    document = make_document(owner_unit)
    login(client, clerk)
    page = upload(client, document, (THAI_NAME, pdf_bytes()), ("ร่างสัญญา.docx", ooxml_bytes("docx")))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and THAI_NAME in text and "ร่างสัญญา.docx" in text
    assert thai("The files were attached.") in text
    rows = queries.current_attachments(document)
    assert [row.content_type for row in rows] == [KINDS["docx"].mime, KINDS["pdf"].mime]
    assert {(row.unit_id, row.uploaded_by_id) for row in rows} == {(owner_unit.id, clerk.id)}
    for row in rows:
        path = files_path / row.sha256[:2] / row.sha256[2:4] / row.sha256
        assert path.is_file() and path.stat().st_size == row.size
    events = audit_events("attachment.add")
    assert {(event.subject_type, event.subject_id, event.actor_id) for event in events} == {
        ("document", document.id, clerk.id)}
    recorded = {json.loads(event.detail)["attachment_id"]: json.loads(event.detail) for event in events}
    assert {row.id: (row.filename, row.sha256) for row in rows} == {
        key: (value["filename"], value["sha256"]) for key, value in recorded.items()}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_every_accepted_type_is_stored_with_the_type_its_content_shows(code, clerk, owner_unit):
    filename, data = SAMPLES[code]
    attachment = attach_as(clerk, make_document(owner_unit), filename=filename, data=data)
    assert (attachment.filename, attachment.content_type, attachment.size) == (filename, KINDS[code].mime,
                                                                               len(data))


def test_a_renamed_program_is_refused_and_nothing_is_stored(client, login, clerk, owner_unit, files_path):
    document = make_document(owner_unit)
    login(client, clerk)
    page = upload(client, document, ("ok.pdf", pdf_bytes()), ("โปรแกรม.pdf", b"MZ\x90\x00" + bytes(300)),
                  ("page.pdf", b"<html><script>alert(1)</script></html>"))
    text = page.get_data(as_text=True)
    assert "โปรแกรม.pdf" in text and "PDF" in text
    assert queries.current_attachments(document) == []
    assert stored_files(files_path) == []  # not even the good file of the same upload
    assert audit_events("attachment.add") == []


def test_a_name_without_extension_gets_the_one_its_content_shows(clerk, owner_unit):
    attachment = attach_as(clerk, make_document(owner_unit), filename="C:\\scans\\สแกน\u202e001",
                           data=png_bytes())
    assert attachment.filename == "สแกน001.png"


def test_the_same_content_is_stored_once(clerk, owner_unit, files_path):
    first, second = make_document(owner_unit), make_document(owner_unit)
    one = attach_as(clerk, first, filename="a.pdf")
    two = attach_as(clerk, second, filename="copy.pdf")
    three = attach_as(clerk, first, filename="again.pdf")
    assert one.sha256 == two.sha256 == three.sha256
    assert stored_files(files_path) == [files_path / one.sha256[:2] / one.sha256[2:4] / one.sha256]


def test_an_upload_over_the_size_limit_is_refused_cleanly(app, client, login, clerk, owner_unit, files_path,
                                                          monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    document = make_document(owner_unit)
    login(client, clerk)
    response = client.post(f"/attachments/documents/{document.id}", content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(pdf_bytes("x" * 10_000)), "big.pdf")]})
    assert response.status_code == 413
    assert thai("The file is larger than the system accepts.") in response.get_data(as_text=True)
    assert queries.current_attachments(document) == [] and stored_files(files_path) == []


def test_the_service_refuses_content_longer_than_the_limit(app, clerk, owner_unit, files_path, monkeypatch):
    """Content with no Content-Length in front of it (a job, the CLI) is cut off while it is copied."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    with pytest.raises(BusinessRuleError) as refused:
        services.attach(Actor(user=clerk), make_document(owner_unit), unit=owner_unit, filename="big.pdf",
                        stream=io.BytesIO(pdf_bytes("x" * 3 * 1024 * 1024)))
    assert "big.pdf" in str(refused.value.message) and "2" in str(refused.value.message)
    assert stored_files(files_path) == []


def test_the_files_of_a_deleted_document_cannot_change(clerk, owner_unit):
    document = make_document(owner_unit)
    attachment = attach_as(clerk, document)
    delete_draft(Actor(user=clerk), document)
    db.session.commit()
    for change in (lambda: attach_as(clerk, document),
                   lambda: services.delete(Actor(user=clerk), attachment, unit=owner_unit)):
        with pytest.raises(BusinessRuleError):
            change()
        db.session.rollback()


def test_a_refused_new_version_leaves_the_old_one_current(clerk, owner_unit):
    document = make_document(owner_unit)
    old = attach_as(clerk, document)
    with pytest.raises(BusinessRuleError):
        services.replace(Actor(user=clerk), old, unit=owner_unit, filename="v2.pdf",
                         stream=io.BytesIO(b"MZ" + bytes(100)))
    db.session.rollback()
    assert old.deleted_at is None and [row.id for row in queries.current_attachments(document)] == [old.id]


# ---- downloading and previewing ------------------------------------------------------------------------

def test_a_thai_file_name_round_trips_in_the_download_header(client, login, clerk, owner_unit):
    attachment = attach_as(clerk, make_document(owner_unit))
    login(client, clerk)
    response = client.get(f"/attachments/{attachment.id}/download")
    disposition = response.headers["Content-Disposition"]
    assert response.status_code == 200 and response.data == pdf_bytes()
    assert disposition.startswith("attachment; ") and disposition.isascii()
    assert unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)) == THAI_NAME
    assert re.search(r'filename="([^"]+)"', disposition).group(1) == "1-2569.pdf"
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_pdf_and_images_preview_inline_other_types_download(client, login, clerk, owner_unit):
    document = make_document(owner_unit)
    pdf, image = attach_as(clerk, document), attach_as(clerk, document, "สแกน.png", png_bytes())
    word = attach_as(clerk, document, "บันทึก.docx", ooxml_bytes("docx"))
    login(client, clerk)
    expected = ((pdf, "inline", "application/pdf"), (image, "inline", "image/png"),
                (word, "attachment", KINDS["docx"].mime))
    for attachment, disposition, mimetype in expected:
        response = client.get(f"/attachments/{attachment.id}/preview")
        assert response.headers["Content-Disposition"].startswith(disposition + ";"), attachment.filename
        assert response.mimetype == mimetype


def test_the_panel_lists_files_with_their_links_and_no_inline_script(client, login, clerk, owner_unit):
    document = make_document(owner_unit)
    attachment = attach_as(clerk, document)
    login(client, clerk)
    page = client.get(f"/attachments/documents/{document.id}").get_data(as_text=True)
    assert THAI_NAME in page and f"/attachments/{attachment.id}/preview" in page
    assert f"/attachments/{attachment.id}/delete" in page and 'accept=".pdf,' in page and "1 KB" in page
    assert clerk.display_name() in page and owner_unit.name_th in page
    assert not re.search(r"<script(?![^>]*\ssrc=)", page) and not re.search(r"\son[a-z]+=", page)


# ---- only the attaching unit replaces or deletes (R10) -------------------------------------------------

def test_another_unit_cannot_delete_or_replace_a_file(client, login, clerk, owner_unit, other_unit):
    document = make_document(owner_unit, recipients=[other_unit])
    attachment = attach_as(clerk, document)
    login(client, registered_by(other_unit, document, clerk))
    page = client.get(f"/attachments/documents/{document.id}").get_data(as_text=True)
    assert THAI_NAME in page and f"/attachments/{attachment.id}/delete" not in page
    assert client.post(f"/attachments/{attachment.id}/delete").status_code == 403
    response = client.post(f"/attachments/{attachment.id}/replace", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(pdf_bytes("other")), "ของกองช่าง.pdf")})
    assert response.status_code == 403
    assert [row.id for row in queries.current_attachments(document)] == [attachment.id]
    assert audit_events("attachment.delete") == [] and audit_events("attachment.replace") == []
    message = thai("Only the unit that attached this file can replace or delete it.")
    with pytest.raises(BusinessRuleError, match=message):
        services.delete(Actor(user=clerk), attachment, unit=other_unit)


def test_the_other_unit_attaches_its_own_file_and_may_change_only_that(clerk, owner_unit, other_unit):
    document = make_document(owner_unit, recipients=[other_unit])
    ours = attach_as(clerk, document)
    other_clerk = registered_by(other_unit, document, clerk)
    theirs = attach_as(other_clerk, document, "ความเห็นกองช่าง.pdf", pdf_bytes("opinion"))
    rows = queries.panel_context(other_clerk, document)["attachment_rows"]
    assert {row.attachment.id: row.can_modify for row in rows} == {ours.id: False, theirs.id: True}


def test_the_owning_unit_replaces_then_deletes_and_the_history_keeps_both(client, login, clerk, owner_unit):
    document = make_document(owner_unit)
    old = attach_as(clerk, document)
    colleague = make_user(unit=owner_unit, roles=("manager",))  # a draft's writer who did not attach it
    login(client, colleague)
    response = client.post(f"/attachments/{old.id}/replace", follow_redirects=True,
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(pdf_bytes("v2")), "หนังสือเชิญ ฉบับแก้ไข.pdf"),
                                 "next": f"/attachments/documents/{document.id}"})
    assert thai("The file was replaced.") in response.get_data(as_text=True)
    new = db.session.scalar(select(Attachment).where(Attachment.replaces_id == old.id))
    assert (old.deleted_by_id, new.uploaded_by_id, new.unit_id) == (colleague.id, colleague.id, owner_unit.id)
    assert old.deleted_at is not None and new.sha256 != old.sha256
    history = [(row.attachment.id, row.status) for row in queries.history_rows(document)]
    assert history == [(old.id, "replaced"), (new.id, "current")]
    page = client.get(f"/attachments/documents/{document.id}").get_data(as_text=True)
    assert THAI_NAME in page and "หนังสือเชิญ ฉบับแก้ไข.pdf" in page
    assert client.get(f"/attachments/{old.id}/download").status_code == 404

    client.post(f"/attachments/{new.id}/delete")
    assert new.deleted_by_id == colleague.id and queries.current_attachments(document) == []
    assert [row.status for row in queries.history_rows(document)] == ["replaced", "deleted"]
    replaced = json.loads(audit_events("attachment.replace")[0].detail)
    assert replaced["replaces_id"] == old.id and replaced["replaced_sha256"] == old.sha256
    assert audit_events("attachment.delete")[0].actor_id == colleague.id


def test_the_trail_says_for_whom_the_file_was_attached(clerk, owner_unit):
    principal = make_user(unit=owner_unit, roles=("manager",))
    document = make_document(owner_unit)
    services.attach(Actor(user=clerk, acting_for=principal), document, unit=owner_unit, filename="a.pdf",
                    stream=io.BytesIO(pdf_bytes()))
    db.session.commit()
    event = audit_events("attachment.add")[0]
    assert (event.actor_id, event.acting_for_id) == (clerk.id, principal.id)


# ---- who may read (R34, secrecy) -----------------------------------------------------------------------

def test_a_user_of_an_unrelated_unit_gets_not_found_everywhere(client, login, clerk, owner_unit, other_unit):
    document = make_document(owner_unit)
    attachment = attach_as(clerk, document)
    login(client, make_user(unit=other_unit, roles=("clerk", "manager")))
    for path in (f"/attachments/{attachment.id}/download", f"/attachments/{attachment.id}/preview",
                 f"/attachments/documents/{document.id}"):
        assert client.get(path).status_code == 404, path
    for path in (f"/attachments/{attachment.id}/delete", f"/attachments/documents/{document.id}"):
        assert client.post(path).status_code == 404, path
    assert attachment.deleted_at is None


def test_a_classified_file_is_for_the_allowed_few_and_reads_are_recorded(client, other_client, login, clerk,
                                                                          owner_unit):
    document = make_document(owner_unit, secrecy="confidential")
    attachment = attach_as(clerk, document)
    assert json.loads(audit_events("attachment.add")[0].detail)["filename"] == "(classified)"

    login(client, make_user(unit=owner_unit, roles=("operator",)))  # of the unit, but not assigned to it
    for path in (f"/attachments/{attachment.id}/download", f"/attachments/{attachment.id}/preview",
                 f"/attachments/documents/{document.id}"):
        assert client.get(path).status_code == 403, path
    assert audit_events("document.read_classified") == []

    login(other_client, clerk)
    response = other_client.get(f"/attachments/{attachment.id}/download")
    assert response.status_code == 200 and response.data == pdf_bytes()
    event = audit_events("document.read_classified")[-1]
    assert (event.actor_id, event.subject_type, event.subject_id) == (clerk.id, "document", document.id)
    assert json.loads(event.detail)["attachment_id"] == attachment.id


def test_the_panel_hides_a_classified_documents_files(clerk, owner_unit):
    document = make_document(owner_unit, secrecy="secret")
    attach_as(clerk, document)
    operator = make_user(unit=owner_unit, roles=("operator",))
    context = queries.panel_context(operator, document)
    assert context["attachment_hidden"] and context["attachment_rows"] == []
    assert not context["attachment_can_upload"]
    assert len(queries.panel_context(clerk, document)["attachment_rows"]) == 1


def test_the_store_keeps_files_under_their_hash(files_path, clerk, owner_unit):
    attachment = attach_as(clerk, make_document(owner_unit))
    path = Path(files_path) / attachment.sha256[:2] / attachment.sha256[2:4] / attachment.sha256
    assert path.read_bytes() == pdf_bytes()
    assert not any((files_path / "tmp").iterdir())  # no temporary file left behind
