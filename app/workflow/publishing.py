"""What an admin does with a flow's versions (issue 16 item 5): publish an uploaded diagram as a new
version, make an earlier version current again (rollback), and name versions by their number.

Running instances always stay on the version they started on; only instances started afterwards follow
the current one. Each function takes the actor and plain values and only flushes.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.core import audit
from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.models import AuditEvent
from app.extensions import db
from app.org.models import User
from app.workflow import definitions, validation
from app.workflow.errors import InvalidDefinition


def publish_upload(actor, key, data, *, note=""):
    """The uploaded BPMN file as the new current version of `key` (a new key starts a new flow)."""
    if not definitions.KEY_PATTERN.match(key or ""):
        raise BusinessRuleError(_l("A flow's code is lower-case English letters, digits, - or _ (for example "
                                   "request_help)."))
    if not data or len(data) > validation.MAX_XML_BYTES:
        raise BusinessRuleError(_l("Choose a BPMN file of at most 2 MB."))
    try:
        xml = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BusinessRuleError(_l("The file is not a BPMN diagram: it is not UTF-8 text.")) from None
    existing = definitions.find(key, hashlib.sha256(xml.encode("utf-8")).hexdigest())
    if existing is not None:
        raise BusinessRuleError(_l("This diagram is already version %(n)d of the flow; make that version "
                                   "current instead.", n=version_number(existing)))
    try:
        definition = definitions.publish(key, xml, user_id=actor.user_id, note=(note or "").strip())
    except InvalidDefinition as error:
        raise BusinessRuleError(_l("The diagram was not published, nothing changed: %(reason)s",
                                   reason=str(error))) from None
    audit.record(actor, "workflow.publish", "workflow_definition", definition.id, key=key,
                 sha256=definition.sha256, version=version_number(definition), note=definition.note)
    return definition


def make_current(actor, definition):
    """Rollback (or forward again): new instances of the flow start on `definition`."""
    definitions.make_current(definition, actor.user_id)
    audit.record(actor, "workflow.make_current", "workflow_definition", definition.id, key=definition.key,
                 version=version_number(definition))
    return definition


def version_number(definition):
    """1 for a flow's first published version, 2 for the next, ..."""
    return [version.id for version in definitions.versions(definition.key)].index(definition.id) + 1


HISTORY_ACTIONS = {"workflow.publish": lambda n: _l("published version %(n)d", n=n),
                   "workflow.make_current": lambda n: _l("made version %(n)d current", n=n)}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: User | None
    what: object
    note: str


def history(versions, limit=50):
    """What was done to the flow whose `versions` these are, newest first, from the audit trail: each
    publish and each change of the current version (rollback), with who and when."""
    numbers = {version.id: number for number, version in enumerate(versions, start=1)}
    rows = db.session.execute(
        select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_type == "workflow_definition", AuditEvent.subject_id.in_(numbers),
               AuditEvent.action.in_(HISTORY_ACTIONS))
        .order_by(AuditEvent.id.desc()).limit(limit)).all()
    return [HistoryEntry(event.at, who, HISTORY_ACTIONS[event.action](numbers[event.subject_id]),
                         json.loads(event.detail or "{}").get("note") or "") for event, who in rows]
