"""Names of notice events as people read them, and the unread count in the header."""
from flask_login import current_user

from app.core.messages import lazy_gettext as _l
from app.notifications.queries import unread_count

EVENT_LABELS = {
    "arrival": _l("New document arrived"),
    "assignment": _l("Work assigned to you"),
    "instruction": _l("Passed to you for instructions"),
    "sign_request": _l("Waiting for your signature"),
    "sent_back": _l("Sent back to you"),
    "returned": _l("Your document was returned"),
    "recalled": _l("The sender recalled a document"),
    "due_soon": _l("Due soon"),
    "overdue": _l("Overdue"),
    "line_paused": _l("LINE stopped sending"),
}
PUSH_STATUS_LABELS = {
    "pending": _l("Waiting"),
    "retrying": _l("Retrying"),
    "sent": _l("Delivered to LINE"),
    "failed": _l("Failed"),
    "skipped": _l("Skipped"),
}


def init_app(app):
    @app.context_processor
    def notification_labels():
        count = unread_count(current_user) if current_user.is_authenticated else None
        return {"event_names": EVENT_LABELS, "push_status_names": PUSH_STATUS_LABELS,
                "unread_notification_count": count}
