from app.core.messages import lazy_gettext as _l

DELIVERY_STATUS_LABELS = {
    "sent": _l("New"),
    "read": _l("Read"),
    "registered": _l("Received"),
    "returned": _l("Returned"),
    "recalled": _l("Recalled"),
}
STATUS_BADGES = {"sent": "text-bg-primary", "read": "text-bg-info", "registered": "text-bg-success",
                 "returned": "text-bg-danger", "recalled": "text-bg-secondary"}


def init_app(app):
    @app.context_processor
    def routing_labels():
        return {"delivery_status_names": DELIVERY_STATUS_LABELS, "delivery_status_badges": STATUS_BADGES}
