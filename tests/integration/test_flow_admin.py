"""The admin's flow pages (issue 16 item 5): upload a diagram as a new version that documents started from
then on follow while those under way keep theirs, see the history with who published each, download a
version as .bpmn, roll back; a diagram that fails the checks changes nothing and says which element."""
import io
import re

from sqlalchemy import func, select

from app.core.models import AuditEvent
from app.extensions import db
from app.handling import queries
from app.workflow import definitions
from app.workflow.models import WorkflowDefinition
from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.integration.test_handling import org, received  # noqa: F401 - the fixture
from tests.integration.test_step_kinds import RENAMED

DEFAULTS = {"default_speed": "normal", "default_secrecy": "normal", "default_due_days": ""}
SHIPPED = (definitions.BPMN_DIR / "handling.bpmn").read_text(encoding="utf-8")


def renamed_flow():
    xml = SHIPPED
    for old, new in RENAMED.items():
        xml = xml.replace(f'"{old}"', f'"{new}"').replace(f">{old}<", f">{new}<")
        xml = xml.replace(f'esaraban:kind="{new}"', f'esaraban:kind="{old}"')
    return xml


def upload(client, url, xml, note="", key=None):
    page = client.get("/admin/flows").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "note": note,
            "file": (io.BytesIO(xml.encode("utf-8")), "flow.bpmn")}
    if key is not None:
        data["key"] = key
    return client.post(url, data=data, content_type="multipart/form-data")


def versions_of(key):
    return db.session.scalar(select(func.count()).select_from(WorkflowDefinition)
                             .where(WorkflowDefinition.key == key))


def test_an_uploaded_version_is_followed_by_new_documents_and_rolled_back(org, client, login):  # noqa: F811
    before = received(org)  # under way on the shipped version
    admin = make_user(roles=("admin",), full_name_th="นายไอที ดูแลระบบ")
    login(client, admin)
    listing = client.get("/admin/flows").get_data(as_text=True)
    assert "handling" in listing and "outgoing" in listing

    response = upload(client, "/admin/flows/handling/publish", renamed_flow(), note="ตั้งชื่อขั้นตอนใหม่")
    assert response.status_code == 302
    after = received(org)
    assert queries.open_task(after).spec_name == "route_in_unit"
    assert queries.open_task(before).spec_name == "triage"  # keeps the version it started on

    history = client.get("/admin/flows/handling").get_data(as_text=True)
    assert history.count('data-testid="flow-version"') == versions_of("handling") == 2
    assert "นายไอที ดูแลระบบ" in history and "ตั้งชื่อขั้นตอนใหม่" in history
    shipped = db.session.scalars(select(WorkflowDefinition).where(WorkflowDefinition.key == "handling")
                                 .order_by(WorkflowDefinition.id)).first()
    download = client.get(f"/admin/flows/handling/versions/{shipped.id}.bpmn")
    assert download.get_data(as_text=True) == SHIPPED and "handling-v1.bpmn" in download.headers["Content-Disposition"]

    token = csrf_token_from(history)
    assert client.post(f"/admin/flows/handling/versions/{shipped.id}/current",
                       data={"csrf_token": token}).status_code == 302
    assert queries.open_task(received(org)).spec_name == "triage"  # rolled back
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(("workflow.publish", "workflow.make_current")))) == 2
    page = client.get("/admin/flows/handling").get_data(as_text=True)
    entries = re.findall(r'data-testid="flow-history-entry">\s*<span[^>]*>[^<]*</span> ·\s*([^<]*?)\s*</li>', page)
    assert entries == ["นายไอที ดูแลระบบ ตั้งรุ่นที่ 1 เป็นรุ่นที่ใช้งาน",
                       "นายไอที ดูแลระบบ เผยแพร่รุ่นที่ 2: ตั้งชื่อขั้นตอนใหม่"]


def test_a_diagram_that_fails_the_checks_is_refused_naming_the_element_and_changes_nothing(client, login):
    login(client, make_user(roles=("admin",)))
    client.get("/admin/flows")
    count = versions_of("handling")
    scripted = SHIPPED.replace('<bpmn:userTask id="triage"', '<bpmn:scriptTask id="run_me"><bpmn:script>'
                               'import os</bpmn:script></bpmn:scriptTask><bpmn:userTask id="triage"')
    no_kind = SHIPPED.replace(' esaraban:kind="finish"', "")
    for xml, named in ((scripted, "scriptTask"), (no_kind, "finish"), ("not xml at all", "XML")):
        response = upload(client, "/admin/flows/handling/publish", xml)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and named in page and "alert-danger" in page
    assert versions_of("handling") == count


def test_a_new_flow_needs_a_code_and_the_same_file_twice_is_one_version(client, login):
    login(client, make_user(roles=("admin",)))
    assert upload(client, "/admin/flows/publish", SHIPPED, key="ขอความอนุเคราะห์").status_code == 400
    assert upload(client, "/admin/flows/publish", SHIPPED, key="request_help").status_code == 302
    again = upload(client, "/admin/flows/request_help/publish", SHIPPED)
    assert again.status_code == 400 and versions_of("request_help") == 1


def test_only_admins_reach_the_flow_pages(client, login):
    login(client, make_user(roles=("clerk",)))
    assert client.get("/admin/flows").status_code in (302, 403)


def test_a_document_type_follows_the_flows_the_admin_chose_and_a_flow_that_cannot_serve_is_refused(
        org, client, login):  # noqa: F811
    from app.documents.models import DocumentType

    admin = make_user(roles=("admin",))
    login(client, admin)
    assert upload(client, "/admin/flows/publish", renamed_flow(), key="request_help").status_code == 302
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    page = client.get(f"/admin/document-types/{external.id}/flows").get_data(as_text=True)
    assert "request_help" in page
    token = csrf_token_from(page)
    refused = client.post(f"/admin/document-types/{external.id}/flows", data={
        "csrf_token": token, **DEFAULTS, "delivery_flow": "delivery", "handling_flow": "outgoing", "outgoing_flow": "outgoing"})
    assert refused.status_code == 200 and "outgoing" in refused.get_data(as_text=True)
    db.session.refresh(external)
    assert external.handling_flow == "handling"  # nothing changed

    saved = client.post(f"/admin/document-types/{external.id}/flows", data={
        "csrf_token": token, **DEFAULTS, "delivery_flow": "delivery", "handling_flow": "request_help",
        "outgoing_flow": "outgoing"})
    assert saved.status_code == 302
    handling = received(org)  # an external letter: its work in the unit follows request_help
    assert queries.open_task(handling).spec_name == "route_in_unit"
