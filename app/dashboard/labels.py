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
    "returned": _l("Each copy the unit sent that its receiving unit returned, not sent again since."),
    "overdue": _l("Unfinished work whose due date has passed."),
}


# The periods the home page can be read over (queries.PERIODS).
PERIOD_LABELS = {
    "30d": _l("Last 30 days"),
    "7d": _l("Last 7 days"),
    "month": _l("This month"),
    "fiscal_year": _l("This fiscal year"),
}

# The table of document kinds.
KIND_COLUMN_LABELS = {
    "awaiting_signature": _l("Awaiting signature"),
    "signed": _l("Signed in the period"),
}


def list_description(key, listed, period, show_date):
    """What the list holds; the due-soon list names its last day, the signed list its period (`show_date`
    formats a date for the page)."""
    if key == "due_soon":
        return _l("Unfinished work due from today until %(date)s.", date=show_date(period.soon_until))
    if key == "signed":
        days = {"start": show_date(period.start), "end": show_date(period.today)}
        if listed.signer:
            return _l("Letters you signed, or that were signed in your name, from %(start)s to %(end)s, "
                      "whatever happened to them since.", **days)
        return _l("Letters signed in the unit from %(start)s to %(end)s, whatever happened to them since.",
                  **days)
    return _DESCRIPTIONS[key]
