"""A document type's defaults (issue 16 item 2): what a new document of the type starts with (speed,
secrecy, due in days), set by the admin beside the type's flows; the clerk's form starts with them and what
the clerk chooses is kept; bad values are refused and change nothing."""
import re
from datetime import timedelta

from sqlalchemy import select

from app.core.models import AuditEvent
from app.core.thai_dates import today_local
from app.documents.models import Document, DocumentType
from app.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import make_unit, make_user

FLOWS = {"delivery_flow": "delivery", "handling_flow": "handling", "outgoing_flow": "outgoing"}


def external():
    return db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))


def save_settings(client, document_type, **values):
    page = client.get(f"/admin/document-types/{document_type.id}/flows").get_data(as_text=True)
    return client.post(f"/admin/document-types/{document_type.id}/flows",
                       data={"csrf_token": csrf_token_from(page), **FLOWS, **values})


def test_the_admin_sets_a_types_defaults_and_the_change_is_audited(client, login):
    login(client, make_user(roles=("admin",)))
    letter_type = external()
    saved = save_settings(client, letter_type, default_speed="urgent", default_secrecy="confidential",
                          default_due_days="7")
    assert saved.status_code == 302
    db.session.refresh(letter_type)
    assert (letter_type.default_speed, letter_type.default_secrecy, letter_type.default_due_days) == \
        ("urgent", "confidential", 7)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document_type.defaults"))
    assert event is not None and event.subject_id == letter_type.id and "confidential" in event.detail

    page = client.get(f"/admin/document-types/{letter_type.id}/flows").get_data(as_text=True)
    assert 'value="7"' in page and re.search(r'<option selected value="urgent">|<option value="urgent" selected',
                                             page)
    # emptying the days takes the due date away again
    assert save_settings(client, letter_type, default_speed="urgent", default_secrecy="normal",
                         default_due_days="").status_code == 302
    db.session.refresh(letter_type)
    assert letter_type.default_due_days is None


def test_bad_defaults_are_refused_and_change_nothing(client, login):
    login(client, make_user(roles=("admin",)))
    letter_type = external()
    for values in ({"default_speed": "warp", "default_secrecy": "normal", "default_due_days": "3"},
                   {"default_speed": "normal", "default_secrecy": "normal", "default_due_days": "-1"},
                   {"default_speed": "normal", "default_secrecy": "normal", "default_due_days": "๗x"},
                   {"default_speed": "normal", "default_secrecy": "normal", "default_due_days": "99999"}):
        refused = save_settings(client, letter_type, **values)
        assert refused.status_code == 200, values
        assert "is-invalid" in refused.get_data(as_text=True)
    # valid defaults with a flow that cannot serve its stage: nothing of either is saved
    refused = save_settings(client, letter_type, default_speed="most_urgent", default_secrecy="normal",
                            default_due_days="5", handling_flow="outgoing")
    assert refused.status_code == 200
    db.session.refresh(letter_type)
    assert (letter_type.default_speed, letter_type.default_due_days, letter_type.handling_flow) == \
        ("normal", None, "handling")


def test_a_new_document_starts_with_its_types_defaults_and_keeps_what_the_clerk_chose(client, login):
    letter_type = external()
    letter_type.default_speed, letter_type.default_secrecy, letter_type.default_due_days = "very_urgent", \
        "normal", 10
    db.session.commit()
    clerk = make_user(unit=make_unit(), roles=("clerk",))
    login(client, clerk)
    page = client.get("/documents/new").get_data(as_text=True)
    option = re.search(rf'<option[^>]*value="{letter_type.id}"[^>]*>', page).group(0)
    assert 'data-speed="very_urgent"' in option and 'data-due-days="10"' in option  # for type-defaults.js

    token = csrf_token_from(page)
    client.post("/documents/new", data={"csrf_token": token, "type_id": letter_type.id, "subject": "ขอเชิญประชุม",
                                        "secrecy": "normal", "speed": "very_urgent", "due_days": "10"})
    client.post("/documents/new", data={"csrf_token": token, "type_id": letter_type.id, "subject": "ขอทราบผล",
                                        "secrecy": "normal", "speed": "normal", "due_days": ""})
    by_subject = {document.subject: document for document in db.session.scalars(select(Document))}
    assert by_subject["ขอเชิญประชุม"].speed == "very_urgent"
    assert by_subject["ขอเชิญประชุม"].due_date == today_local() + timedelta(days=10)
    # the clerk changed the speed and emptied the days: kept as chosen
    assert by_subject["ขอทราบผล"].speed == "normal" and by_subject["ขอทราบผล"].due_date is None
