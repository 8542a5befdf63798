"""Names of the home page's numbers (R7) and what the list behind each one holds."""
from app.core.messages import lazy_gettext as _l

TILE_LABELS = {
    "new_arrivals": _l("New arrivals"),
    "awaiting_registration": _l("Awaiting registration"),
    "my_tasks": _l("My tasks"),
    "awaiting_signature": _l("Awaiting my signature"),
    "signed": _l("Signed"),
    "returned": _l("Returned to us"),
    "overdue": _l("Overdue"),
    "due_soon": _l("Due soon"),
    "following": _l("Following"),
}

# The columns of a manager's table: the same numbers, for one unit each.
UNIT_COLUMN_LABELS = {
    "new_arrivals": _l("New arrivals"),
    "awaiting_registration": _l("Awaiting registration"),
    "open_work": _l("Open work"),
    "awaiting_signature": _l("Awaiting signature"),
    "signed": _l("Signed"),
    "returned": _l("Returned to us"),
    "overdue": _l("Overdue"),
    "due_soon": _l("Due soon"),
}

_DESCRIPTIONS = {
    "new_arrivals": _l("Documents sent to the unit that no one has opened yet."),
    "awaiting_registration": _l("Documents sent to the unit, waiting to be registered or returned."),
    "open_work": _l("Work in the unit not yet closed, forwarded or sent."),
    "awaiting_signature": _l("Proposals of the unit waiting for a manager's signature."),
    "signed": _l("Signed letters back with the unit, waiting for the clerk to close them or pass them on."),
    "returned": _l("Documents the unit sent that the receiving unit returned, not sent again since."),
    "overdue": _l("Unfinished work whose due date has passed."),
}


def list_description(key, soon_until):
    """What the list holds; the due-soon list names its last day (a date already formatted)."""
    if key == "due_soon":
        return _l("Unfinished work due from today until %(date)s.", date=soon_until)
    return _DESCRIPTIONS[key]
