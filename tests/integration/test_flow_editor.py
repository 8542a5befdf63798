"""The flow editor's endpoints (issue 16 item 3): the admin saves a draft, reopens it, checks it (each error
names its element so the editor can select it), publishes it through the same checks as an upload, or
discards it; a draft overtaken by another version is refused with 409 unless the admin publishes it
anyway; import takes only BPMN; export gives the draft back; only admins, and only with the CSRF token."""
import html
import io
import json
import re

from sqlalchemy import func, select

from app.core.models import AuditEvent
from app.extensions import db
from app.handling import queries
from app.workflow import definitions, publishing
from app.workflow.models import WorkflowDefinition, WorkflowDraft
from tests.factories import DEFAULT_PASSWORD, SYSTEM, make_user
from tests.integration.test_flow_admin import SHIPPED, renamed_flow, versions_of
from tests.integration.test_handling import org, received  # noqa: F401 - the fixture
from tests.integration.test_security import csrf_app  # noqa: F401 - the fixture

JSON = {"Accept": "application/json"}


def editor_config(page):
    match = re.search(r'data-config="([^"]*)"', page)
    assert match, "the editor page carries its configuration"
    return json.loads(html.unescape(match.group(1)))


def post(client, url, body):
    return client.post(url, json=body, headers=JSON)


def save(client, key, xml, based_on):
    return post(client, f"/admin/flows/{key}/draft", {"xml": xml, "based_on": based_on})


def an_admin(client, login):
    admin = make_user(roles=("admin",), full_name_th="นายไอที ดูแลระบบ")
    login(client, admin)
    return admin


def test_a_draft_is_saved_reopened_and_discarded_leaving_the_versions_alone(client, login):
    an_admin(client, login)
    config = editor_config(client.get("/admin/flows/handling/edit").get_data(as_text=True))
    current = definitions.current("handling")
    assert config["xml"] == current.bpmn_xml and config["basedOn"] == current.id and not config["hasDraft"]
    assert {kind["value"] for kind in config["kinds"]} >= {"route", "review", "work"}
    assert {"value": "manager", "label": "ผู้บริหาร"} in config["roles"]

    saved = save(client, "handling", renamed_flow(), current.id)
    assert saved.status_code == 200 and saved.json["message"] == "บันทึกร่างแล้ว"
    page = client.get("/admin/flows/handling/edit").get_data(as_text=True)
    assert editor_config(page)["xml"] == renamed_flow() and "บันทึกร่างเมื่อ" in page
    assert versions_of("handling") == 1 and definitions.current("handling").id == current.id

    assert post(client, "/admin/flows/handling/draft/discard", {}).json["redirect"] == "/admin/flows/handling/edit"
    assert db.session.get(WorkflowDraft, "handling") is None
    assert editor_config(client.get("/admin/flows/handling/edit").get_data(as_text=True))["xml"] == current.bpmn_xml
    again = post(client, "/admin/flows/handling/draft/discard", {})
    assert again.status_code == 400 and "ไม่มีร่าง" in again.json["error"]


def test_a_published_draft_is_the_version_new_documents_follow(org, client, login):  # noqa: F811
    before = received(org)
    an_admin(client, login)
    client.get("/admin/flows/handling")
    save(client, "handling", renamed_flow(), definitions.current("handling").id)
    response = post(client, "/admin/flows/handling/draft/publish", {"note": "ตั้งชื่อขั้นตอนใหม่ในหน้าจอ"})
    assert response.status_code == 200 and response.json["version"] == 2
    assert response.json["redirect"] == "/admin/flows/handling"
    assert db.session.get(WorkflowDraft, "handling") is None
    assert definitions.current("handling").note == "ตั้งชื่อขั้นตอนใหม่ในหน้าจอ"
    assert queries.open_task(received(org)).spec_name == "route_in_unit"
    assert queries.open_task(before).spec_name == "triage"  # keeps the version it started on
    page = client.get("/admin/flows/handling").get_data(as_text=True)
    assert "เผยแพร่ร่างเป็นรุ่นที่ 2" in page and "นายไอที ดูแลระบบ เผยแพร่รุ่นที่ 2" in page


def test_an_outdated_draft_is_refused_with_409_unless_published_anyway(client, login):
    an_admin(client, login)
    client.get("/admin/flows/handling")
    shipped = definitions.current("handling")
    save(client, "handling", renamed_flow(), shipped.id)
    other = publishing.publish_upload(SYSTEM, "handling", SHIPPED.replace('name="ปฏิบัติงาน"',
                                                                         'name="ปฏิบัติงานตามคำสั่ง"').encode())
    db.session.commit()
    page = client.get("/admin/flows/handling/edit").get_data(as_text=True)
    assert 'data-testid="editor-outdated-notice"' in page

    refused = post(client, "/admin/flows/handling/draft/publish", {"note": ""})
    assert refused.status_code == 409 and refused.json["outdated"] is True
    assert "รุ่นที่ 2" in refused.json["error"]
    assert definitions.current("handling").id == other.id and versions_of("handling") == 2
    assert db.session.get(WorkflowDraft, "handling") is not None

    anyway = post(client, "/admin/flows/handling/draft/publish", {"note": "", "accept_outdated": True})
    assert anyway.status_code == 200 and anyway.json["version"] == 3
    assert definitions.current("handling").bpmn_xml == renamed_flow()


def test_check_names_the_element_and_stores_nothing(client, login):
    an_admin(client, login)
    no_kind = SHIPPED.replace(' esaraban:kind="finish"', "")
    result = post(client, "/admin/flows/handling/draft/check", {"xml": no_kind}).json
    assert result["ok"] is False
    error, = result["errors"]
    assert error["element_id"] == "finish" and error["element"] == "ขั้นตอน «ปิดงานหรือส่งต่อ»"
    assert "esaraban:kind" in error["message"]
    assert "ยังเผยแพร่ไม่ได้" in result["message"]
    passed = post(client, "/admin/flows/handling/draft/check", {"xml": SHIPPED}).json
    assert passed["ok"] is True and passed["errors"] == [] and "เผยแพร่ได้" in passed["message"]
    assert db.session.scalar(select(func.count()).select_from(WorkflowDraft)) == 0


def test_a_draft_that_fails_the_checks_is_not_published_and_is_kept(client, login):
    an_admin(client, login)
    client.get("/admin/flows/handling")
    current = definitions.current("handling")
    scripted = SHIPPED.replace('<bpmn:userTask id="triage"', '<bpmn:scriptTask id="run_me"><bpmn:script>'
                               'import os</bpmn:script></bpmn:scriptTask><bpmn:userTask id="triage"')
    save(client, "handling", scripted, current.id)
    response = post(client, "/admin/flows/handling/draft/publish", {"note": ""})
    assert response.status_code == 400 and "ไม่ได้เผยแพร่" in response.json["error"]
    assert "scriptTask" in response.json["error"]
    assert versions_of("handling") == 1 and db.session.get(WorkflowDraft, "handling").xml == scripted
    nothing = post(client, "/admin/flows/outgoing/draft/publish", {"note": ""})
    assert nothing.status_code == 400 and "บันทึกร่าง" in nothing.json["error"]


def test_import_takes_only_bpmn_and_export_gives_the_draft_back(client, login):
    an_admin(client, login)
    client.get("/admin/flows/handling")

    def upload(data, name="flow.bpmn"):
        return client.post("/admin/flows/handling/draft/import", headers=JSON, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), name)})

    for data, said in ((b"not xml at all", "ไม่ใช่แผนผัง BPMN"), (b"\xff\xfe\x00<", "UTF-8"),
                       (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "svg"), (b"", "ไม่ใช่แผนผัง BPMN")):
        response = upload(data)
        assert response.status_code == 400 and said in response.json["error"], data
    assert db.session.get(WorkflowDraft, "handling") is None

    imported = upload(renamed_flow().encode("utf-8"))
    assert imported.status_code == 200 and imported.json["xml"] == renamed_flow()
    assert client.get("/admin/flows/handling/draft.bpmn").status_code == 200
    download = client.get("/admin/flows/handling/draft.bpmn")
    assert download.get_data(as_text=True) == renamed_flow()
    assert 'filename="handling-draft.bpmn"' in download.headers["Content-Disposition"]
    assert client.get("/admin/flows/outgoing/draft.bpmn").status_code == 404


def test_a_new_flow_starts_from_the_starter_diagram_and_is_listed_until_published(client, login):
    an_admin(client, login)
    assert "รหัสขั้นตอนงาน" in client.get("/admin/flows/new").get_data(as_text=True)
    assert client.get("/admin/flows/new?key=ขอความอนุเคราะห์").status_code == 400
    assert client.get("/admin/flows/new?key=handling").headers["Location"] == "/admin/flows/handling/edit"
    assert client.get("/admin/flows/request_help/edit").status_code == 404

    config = editor_config(client.get("/admin/flows/new?key=request_help").get_data(as_text=True))
    assert config["basedOn"] is None and 'process id="request_help"' in config["xml"]
    assert db.session.get(WorkflowDraft, "request_help") is None  # nothing stored yet
    assert save(client, "request_help", config["xml"], None).status_code == 200
    assert client.get("/admin/flows/new?key=request_help").headers["Location"] == "/admin/flows/request_help/edit"
    listing = client.get("/admin/flows").get_data(as_text=True)
    assert 'data-testid="flow-new-drafts"' in listing and "/admin/flows/request_help/edit" in listing

    published = post(client, "/admin/flows/request_help/draft/publish", {"note": "ขั้นตอนงานใหม่"})
    assert published.status_code == 200 and published.json["version"] == 1
    assert definitions.current("request_help").process_id == "request_help"
    assert "flow-new-drafts" not in client.get("/admin/flows").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "workflow.publish")) == 1


def test_only_admins_reach_the_editor(client, login):
    login(client, make_user(roles=("clerk", "manager")))
    assert client.get("/admin/flows/handling/edit").status_code == 403
    assert client.get("/admin/flows/new?key=request_help").status_code == 403
    response = save(client, "handling", SHIPPED, None)
    assert response.status_code == 403 and response.json["error"]
    assert post(client, "/admin/flows/handling/draft/check", {"xml": SHIPPED}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(WorkflowDraft)) == 0


def test_the_editor_posts_only_with_the_csrf_token(csrf_app, db_session):  # noqa: F811
    admin = make_user(roles=("admin",))
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"csrf_token": token, "username": admin.username, "password": DEFAULT_PASSWORD})
    page = client.get("/admin/flows/handling/edit").get_data(as_text=True)
    based_on = editor_config(page)["basedOn"]
    body = {"xml": SHIPPED, "based_on": based_on}
    refused = client.post("/admin/flows/handling/draft", json=body, headers=JSON)
    assert refused.status_code == 400 and "หมดอายุ" in refused.json["error"]
    assert db.session.get(WorkflowDraft, "handling") is None
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    accepted = client.post("/admin/flows/handling/draft", json=body, headers={**JSON, "X-CSRFToken": meta})
    assert accepted.status_code == 200
    assert db.session.scalar(select(WorkflowDefinition.id).where(WorkflowDefinition.key == "handling")) == based_on
