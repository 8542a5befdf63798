"""Published versions of the flows: immutable rows keyed by the sha256 of their XML, parsed once per process.

The seed diagrams are `bpmn/<key>.bpmn`. A running instance keeps the definition row it started on, so
publishing a changed diagram only affects instances started afterwards.
"""
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import defer

from app.core.models import insert_if_missing, utcnow
from app.extensions import db
from app.workflow import steps, validation
from app.workflow.errors import InvalidDefinition
from app.workflow.models import WorkflowDefinition, WorkflowFlow

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")

# sha256 -> (spec, subprocess specs). Specs are never changed by running workflows, so one parsed copy
# serves every instance of that version in this process.
_specs = {}
_steps = {}  # sha256 -> {task id: steps.Step}, read from the XML once per process


def publish(key, xml=None, *, user_id=None, note=""):
    """The definition row for `xml` (default: the seed file of `key`), validated and stored if new; a new
    version becomes the current one. XML already published returns that version and changes nothing."""
    _check_key(key)
    xml = _seed_xml(key) if xml is None else _text(xml)
    digest = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    existing = find(key, digest)
    if existing is not None:
        return existing
    process_id, parsed = validation.check(xml)
    insert_if_missing(db.session, WorkflowDefinition.__table__,
                      {"key": key, "process_id": process_id, "sha256": digest, "bpmn_xml": xml,
                       "published_at": utcnow(), "published_by_id": user_id, "note": (note or "")[:500]})
    _specs.setdefault(digest, parsed)
    return make_current(find(key, digest, locked=True), user_id)


def current(key):
    """The version of `key` new instances start on: the one an admin made current (workflow_flow), else the
    latest published. A flow shipped in bpmn/ is published first when its file is not published yet: on
    the first run, and after an upgrade that changed it (the outgoing flow gained its co-signature steps),
    and the upgrade's version becomes current; the admin's earlier ones stay in the history."""
    seed_digest = _seed_digest(key)
    if seed_digest is not None and find(key, seed_digest) is None:
        return publish(key)
    chosen = db.session.get(WorkflowFlow, key)
    if chosen is not None:
        return chosen.current_definition
    return db.session.scalars(select(WorkflowDefinition).where(WorkflowDefinition.key == key)
                              .order_by(WorkflowDefinition.id.desc()).limit(1)).first() or publish(key)


def make_current(definition, user_id=None):
    """New instances of its flow start on `definition` from now on; returns it."""
    # two first publishes at once (two workers seeing a shipped flow): one row, the later choice kept
    insert_if_missing(db.session, WorkflowFlow.__table__, {
        "key": definition.key, "current_definition_id": definition.id, "updated_by_id": user_id,
        "updated_at": utcnow()})
    chosen = db.session.get(WorkflowFlow, definition.key, with_for_update=True, populate_existing=True)
    chosen.current_definition_id, chosen.updated_by_id, chosen.updated_at = definition.id, user_id, utcnow()
    db.session.flush()
    return definition


def versions(key):
    """Every published version of `key`, oldest first; their XML is read only when asked for."""
    return db.session.scalars(select(WorkflowDefinition).where(WorkflowDefinition.key == key)
                              .options(defer(WorkflowDefinition.bpmn_xml)).order_by(WorkflowDefinition.id)).all()


def keys():
    """The flows: those shipped and those published, by key."""
    published = db.session.scalars(select(WorkflowDefinition.key).distinct()).all()
    return sorted(set(seed_keys()) | set(published))


def spec_for(definition):
    """(spec, subprocess specs) of a published definition, parsed on first use in this process."""
    parsed = _specs.get(definition.sha256)
    if parsed is None:
        root = validation.read_xml(definition.bpmn_xml)
        parsed = _specs.setdefault(definition.sha256, validation.parse_spec(root, definition.process_id))
    return parsed


def steps_for(definition):
    """{task id: steps.Step} of a published definition; a version from before tasks named their kind
    has the shipped tasks' kinds by id."""
    known = _steps.get(definition.sha256)
    if known is None:
        known = _steps.setdefault(definition.sha256,
                                  steps.steps_of(validation.read_xml(definition.bpmn_xml), legacy=True))
    return known


def seed_keys():
    """The keys of the diagrams shipped in bpmn/."""
    return sorted(path.stem for path in BPMN_DIR.glob("*.bpmn"))


def find(key, digest, *, locked=False):
    """The published version of `key` whose XML has this sha256, or None. `locked` reads it with a lock:
    after losing a race to insert it (two requests meeting a shipped flow at once), only a locking read
    sees the winner's row under REPEATABLE READ; a plain one still sees the snapshot without it."""
    query = select(WorkflowDefinition).where(WorkflowDefinition.key == key, WorkflowDefinition.sha256 == digest)
    return db.session.scalars(query.with_for_update() if locked else query).first()


def _check_key(key):
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise InvalidDefinition(f"not a flow key: {key!r}")


@lru_cache(maxsize=32)
def _seed_digest(key):
    """The sha256 of the shipped diagram of `key`, or None when bpmn/ has none (read once per process)."""
    path = BPMN_DIR / f"{key}.bpmn"
    if not KEY_PATTERN.match(key) or not path.is_file():
        return None
    return hashlib.sha256(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()


def _seed_xml(key):
    path = BPMN_DIR / f"{key}.bpmn"
    if not path.is_file():
        raise InvalidDefinition(f"no seed diagram for {key!r} in {BPMN_DIR}")
    return path.read_text(encoding="utf-8")


def _text(xml):
    return xml.decode("utf-8") if isinstance(xml, bytes) else xml
