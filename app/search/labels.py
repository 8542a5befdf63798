"""Names of the search's fields, statuses and sort keys as people read them."""
from app.core.messages import lazy_gettext as _l

STATUS_LABELS = {
    "new": _l("New (not opened)"),
    "read": _l("Opened, not registered"),
    "registered": _l("Registered"),
    "in_progress": _l("In progress"),
    "awaiting_signature": _l("Awaiting signature"),
    "signed": _l("Signed"),
    "sent": _l("Sent, waiting at the receivers"),
    "returned": _l("Returned (ตีกลับ)"),
    "recalled": _l("Recalled (ดึงกลับ)"),
    "closed": _l("Closed"),
    "overdue": _l("Overdue"),
}
FIELD_LABELS = {
    "subject": _l("Subject (เรื่อง) contains"),
    "doc_number": _l("Document number (ที่) contains"),
    "reg_number": _l("Register number is"),
    "from": _l("From (จาก) contains"),
    "to": _l("To (ถึง) contains"),
    "status": _l("Status is"),
    "speed": _l("Speed is"),
    "secrecy": _l("Secrecy is"),
    "type": _l("Document type is"),
    "category": _l("Category is"),
}
SORT_LABELS = {
    "register": _l("Register number"),
    "doc_number": _l("Document number"),
    "received": _l("Received date"),
    "dated": _l("Dated"),
    "subject": _l("Subject"),
}
JOINER_LABELS = {"and": _l("AND (และ)"), "or": _l("OR (หรือ)")}


def init_app(app):
    @app.context_processor
    def search_labels():
        return {"search_status_names": STATUS_LABELS}
