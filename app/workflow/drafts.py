"""Drafts of flows edited in the browser (issue 16 item 3): one per flow, saved as often as the admin likes,
checked without publishing, and published through the same path as an uploaded file (publishing.py).

A draft remembers the version that was current when it was started. If another version became current
since (someone published or rolled back), publishing the draft would silently undo that change, so it is
refused as outdated unless the admin says to publish it anyway. Each function takes plain values and only
flushes.
"""
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import utcnow
from app.extensions import db
from app.workflow import definitions, publishing, validation
from app.workflow.errors import InvalidDefinition
from app.workflow.models import WorkflowDefinition, WorkflowDraft

_DEFINITIONS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}definitions"
NEW_FLOW = Path(__file__).with_name("new_flow.bpmn")
_STARTER_KEY = "new_flow"


class OutdatedDraft(BusinessRuleError):
    """The flow's current version is no longer the one the draft was started from."""

    def __init__(self, current):
        super().__init__(_l("Since this draft was started, version %(n)d became the flow's current version. "
                            "Publishing the draft would replace it: open that version to see what changed, "
                            "or publish the draft anyway.", n=publishing.version_number(current))
                         if current is not None else
                         _l("The flow this draft was started from no longer exists; publish the draft anyway "
                            "to start it again."))
        self.current = current


@dataclass(frozen=True)
class Finding:
    """Why a diagram cannot be published, and the element it is about (None: the whole diagram)."""
    message: str
    element_id: str | None


def find(key):
    return db.session.get(WorkflowDraft, key)


def new_flow_keys():
    """The keys of drafts of flows not published yet (shown on the flows page so they are not lost)."""
    published = set(definitions.keys())
    return sorted(key for key in db.session.scalars(db.select(WorkflowDraft.key)) if key not in published)


def exists(key):
    """Whether `key` names a flow (published or shipped)."""
    return bool(definitions.versions(key)) or key in definitions.seed_keys()


def current_version(key):
    """The version of `key` new documents start on, or None for a flow not published yet."""
    return definitions.current(key) if exists(key) else None


def starter_xml(key):
    """The diagram a new flow starts from: a start, the clerk's routing step and an end, in role lanes."""
    return NEW_FLOW.read_text(encoding="utf-8").replace(_STARTER_KEY, key)


def bpmn_text(data):
    """`data` (bytes or text) as the text of a BPMN diagram, refused unless it is one: UTF-8 XML whose
    root is a BPMN definitions element. It need not be publishable yet."""
    if isinstance(data, bytes):
        if len(data) > validation.MAX_XML_BYTES:
            raise BusinessRuleError(_l("Choose a BPMN file of at most 2 MB."))
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BusinessRuleError(_l("The file is not a BPMN diagram: it is not UTF-8 text.")) from None
    if not isinstance(data, str) or not data.strip():
        raise BusinessRuleError(_l("The file is not a BPMN diagram: it is empty."))
    try:
        root = validation.read_xml(data)
    except InvalidDefinition:
        raise BusinessRuleError(_l("The file is not a BPMN diagram: it is not well-formed XML.")) from None
    if root.tag != _DEFINITIONS:
        raise BusinessRuleError(_l("The file is not a BPMN diagram: it is XML of another kind (%(tag)s).",
                                   tag=etree.QName(root).localname))
    return data


def save(actor, key, xml, *, based_on_id=None):
    """Store `xml` as the draft of `key`. A new draft is based on `based_on_id`, the version the editor
    was opened on (None for a new flow); a draft saved again keeps the version it was started from."""
    if not definitions.KEY_PATTERN.match(key or ""):
        raise BusinessRuleError(_l("A flow's code is lower-case English letters, digits, - or _ (for example "
                                   "request_help)."))
    xml = bpmn_text(xml)
    draft = find(key)
    if draft is None:
        draft = WorkflowDraft(key=key, based_on_id=_version_of(key, based_on_id))
        db.session.add(draft)
    draft.xml, draft.updated_by_id, draft.updated_at = xml, actor.user_id, utcnow()
    db.session.flush()
    return draft


def _version_of(key, definition_id):
    if definition_id is None:
        return None
    definition = db.session.get(WorkflowDefinition, definition_id)
    if definition is None or definition.key != key:
        raise BusinessRuleError(_l("The editor was opened on a version of another flow; reload the page."))
    return definition.id


def discard(key):
    """Throw the draft of `key` away; the published versions are untouched."""
    draft = find(key)
    if draft is None:
        raise BusinessRuleError(_l("This flow has no draft to discard."))
    db.session.delete(draft)
    db.session.flush()


def is_outdated(draft):
    current = current_version(draft.key)
    return (current.id if current is not None else None) != draft.based_on_id


def publish(actor, key, *, note="", accept_outdated=False):
    """The draft of `key` published as the flow's new current version, with the same checks as an upload;
    the draft is gone afterwards. Refused (OutdatedDraft) when the current version changed since the draft
    was started, unless `accept_outdated`."""
    draft = find(key)
    if draft is None:
        raise BusinessRuleError(_l("Save the draft before publishing it."))
    if is_outdated(draft) and not accept_outdated:
        raise OutdatedDraft(current_version(key))
    definition = publishing.publish_upload(actor, key, draft.xml.encode("utf-8"), note=note)
    db.session.delete(draft)
    db.session.flush()
    return definition


def check(xml):
    """What stops `xml` from being published, as findings naming their element; empty when it would be."""
    try:
        validation.check(bpmn_text(xml))
    except InvalidDefinition as error:
        return [Finding(str(error), error.element_id)]
    return []
