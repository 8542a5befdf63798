"""Names of certificate states and sources as people read them."""
from app.core.messages import lazy_gettext as _l

STATUS_LABELS = {
    "pending": _l("Waiting for the user's signing PIN"),
    "active": _l("In use"),
    "superseded": _l("Replaced"),
    "revoked": _l("Revoked"),
    "cancelled": _l("Cancelled"),
}
STATUS_BADGES = {"pending": "text-bg-warning", "active": "text-bg-success", "superseded": "text-bg-secondary",
                 "revoked": "text-bg-danger", "cancelled": "text-bg-light"}
SOURCE_LABELS = {"org": _l("Issued by this organisation's CA"), "imported": _l("Imported (PKCS#12)")}
