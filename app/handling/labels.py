"""Names of the handling's codes as people read them, and the signature count in the header (R7)."""
from flask_login import current_user

from app.core.messages import lazy_gettext as _l
from app.handling.queries import awaiting_signature_count
from app.org.models import Role
from app.org.queries import holds_any_role
from app.workflow.steps import KINDS

HANDLING_STATUS_LABELS = {
    "new": _l("Waiting to be routed in the unit"),
    "with_manager": _l("With the manager for instructions"),
    "in_progress": _l("In progress"),
    "awaiting_signature": _l("Awaiting signature"),
    "awaiting_cosignature": _l("Signed, awaiting co-signatures"),
    "sent_back": _l("Sent back for changes"),
    "done": _l("Work finished, to be closed"),
    "signed": _l("Signed"),
    "closed": _l("Closed"),
    "forwarded": _l("Forwarded to other units"),
    "dispatched": _l("Signed, numbered and sent"),
    "withdrawn": _l("Proposal withdrawn"),
}
HANDLING_STATUS_BADGES = {
    "new": "text-bg-primary", "with_manager": "text-bg-info", "in_progress": "text-bg-info",
    "awaiting_signature": "text-bg-warning", "awaiting_cosignature": "text-bg-warning", "sent_back": "text-bg-danger", "done": "text-bg-success",
    "signed": "text-bg-success", "closed": "text-bg-secondary", "forwarded": "text-bg-secondary",
    "dispatched": "text-bg-secondary", "withdrawn": "text-bg-secondary",
}
NOTE_KIND_LABELS = {
    "note": _l("Note"),
    "instruction": _l("Instruction"),
    "assignment": _l("Assigned"),
    "progress": _l("Progress"),
    "proposal": _l("Proposed"),
    "endorsement": _l("Endorsed and passed up"),
    "signature": _l("Signed"),
    "cosignature": _l("Co-signed"),
    "sent_back": _l("Sent back"),
    "close": _l("Closed"),
    "forward": _l("Forwarded"),
    "withdrawal": _l("Withdrawn"),
}
def step_name(task):
    """The name of a workflow task's step in the user's language: its kind's (the diagram's names are
    Thai, and an English UI showed them in Thai, issue 14 item 7); a step of no known kind shows its title."""
    spec = KINDS.get(task.kind) if task.kind else None
    return str(spec.label) if spec is not None else task.title


def init_app(app):
    @app.context_processor
    def handling_labels():
        count = None
        if current_user.is_authenticated:
            # managers always see their list; anyone else only while a co-signature of theirs is awaited
            count = awaiting_signature_count(current_user)
            if not count and not holds_any_role(current_user, {Role.MANAGER}):
                count = None
        return {"handling_status_names": HANDLING_STATUS_LABELS, "handling_status_badges": HANDLING_STATUS_BADGES,
                "note_kind_names": NOTE_KIND_LABELS, "awaiting_signature_count": count,
                "step_name": step_name}
