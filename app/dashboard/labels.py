"""Names of the home page's numbers (R7)."""
from flask_babel import lazy_gettext as _l

TILE_LABELS = {
    "new_arrivals": _l("New arrivals"),
    "awaiting_registration": _l("Awaiting registration"),
    "my_tasks": _l("My tasks"),
    "awaiting_signature": _l("Awaiting my signature"),
    "following": _l("Following"),
}
