"""Names of the documents' codes as people read them."""
from app.core.messages import lazy_gettext as _l

SECRECY_LABELS = {
    "normal": _l("Normal"),
    "confidential": _l("Confidential (ลับ)"),
    "secret": _l("Secret (ลับมาก)"),
    "top_secret": _l("Top secret (ลับที่สุด)"),
}
SPEED_LABELS = {
    "normal": _l("Normal"),
    "urgent": _l("Urgent (ด่วน)"),
    "very_urgent": _l("Very urgent (ด่วนมาก)"),
    "most_urgent": _l("Most urgent (ด่วนที่สุด)"),
}

HISTORY_LABELS = {
    "document.create": _l("Created"),
    "document.due_date": _l("Due date changed"),
    "document.delete": _l("Draft deleted"),
    "document.read_classified": _l("Classified document read"),
    "register.number": _l("Registered"),
    "register.cancel": _l("Number cancelled"),
    "register.notes": _l("Register notes changed"),
    "attachment.add": _l("File attached"),
    "attachment.replace": _l("File replaced"),
    "attachment.delete": _l("File deleted"),
    "attachment.sign": _l("Signed file: a co-signature added"),
    "delivery.send": _l("Sent to a unit"),
    "delivery.read": _l("Opened by the recipient"),
    "delivery.register": _l("Registered by the recipient"),
    "delivery.return": _l("Returned"),
    "delivery.recall": _l("Recalled"),
    "handling.start": _l("Work started in the unit"),
    "handling.to_manager": _l("Sent to the manager for instructions"),
    "handling.assign": _l("Assigned to an operator"),
    "handling.progress": _l("Progress reported"),
    "handling.done": _l("Work finished"),
    "handling.propose": _l("Proposed for signature"),
    "handling.endorse": _l("Endorsed and passed up the chain"),
    "handling.sign": _l("Signed by the manager"),
    "handling.cosign": _l("Co-signed"),
    "handling.decline_cosign": _l("Co-signature declined"),
    "handling.send_back": _l("Sent back for changes"),
    "handling.withdraw": _l("Proposal withdrawn"),
    "handling.close": _l("Closed (ปิดงาน)"),
    "handling.forward": _l("Forwarded to other units"),
    "document.dispatch": _l("Sent to outside organisations"),
    "letter.endorse": _l("Instruction stamped on a signed copy of the first page"),
}


def init_app(app):
    @app.context_processor
    def document_labels():
        return {"secrecy_names": SECRECY_LABELS, "speed_names": SPEED_LABELS, "history_names": HISTORY_LABELS}
