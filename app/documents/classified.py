"""The one rule for the fields of a classified document (R34; issue 12 items 3-5), applied by every page,
list, sort, report and export.

A user may know that a classified document (ลับ, ลับมาก, ลับที่สุด) exists when it concerns a unit they work
for or oversee (`access.can_see`). They may read it only when cleared (`access.can_see_content`): they are a
registry clerk of a unit it concerns, a manager of such a unit or of one above it, they wrote it, or a step
of it was given to them (or to someone they act for today). To everyone else:

- shown: that it exists, its secrecy and speed classes, type, category, dates (ลงวันที่, received, due),
  register numbers, status, and the units it travelled between (its route);
- hidden: เรื่อง (the subject, shown as `placeholder`: "(classified: ลับ)"), ที่ (doc_number),
  จาก (from_unit / from_text, or the counterpart it was registered from), ถึง/เรียน (addressed_to and
  the named recipients), อ้างถึง (reference), สิ่งที่ส่งมาด้วย (enclosures), the note, the files, and
  what a register entry says of it (action taken, remark): left blank.

A list sorted by a hidden field sorts the hidden rows by HIDDEN_SORT_KEY, all alike, so the order of a page
tells nothing of what is hidden (a probe draft sorted next to a hidden row would otherwise bisect its
subject). A filter on a hidden field matches only readable rows, for the same reason.

Lists paged or sorted in SQL use `readable_clause`, `readable_by_id` or `cleared_by_id`; lists built in
Python ask `readable_ids` once for the whole page and render through `Shown`. All of them are `_cleared`,
the SQL form of `access.can_see_content`. LINE cards leave the organisation's network, so they never
carry a classified document's hidden fields, whoever receives them (`app/notifications/cards.py`).
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import false, or_, select

from app.documents import access
from app.documents.labels import SECRECY_LABELS
from app.documents.models import Document, Secrecy
from app.extensions import db
from app.org.queries import acting_for_ids

HIDDEN_SORT_KEY = ""


def placeholder(secrecy):
    """What stands for the subject of a classified document the reader may not read."""
    return _("(classified: %(class)s)", **{"class": SECRECY_LABELS[secrecy]})


@dataclass(frozen=True)
class Clearance:
    """What clears a user: the units whose classified documents they may read (`access.cleared_unit_ids`)
    and the people whose steps count as theirs (themselves and whoever they act for today)."""
    unit_ids: frozenset
    user_ids: frozenset


def clearance_of(user):
    return Clearance(frozenset(access.cleared_unit_ids(user)), frozenset(acting_for_ids(user)))


def _cleared(clearance):
    """SQL, correlated to `document`: the user is cleared for this document, whatever its class."""
    conditions = []
    if clearance.unit_ids:
        conditions.append(access.concerns_units_clause(clearance.unit_ids))
    if clearance.user_ids:
        conditions.append(access.given_to_clause(clearance.user_ids))
    return or_(*conditions) if conditions else false()


def readable_clause(clearance):
    """SQL, for a select over `document`: this reader may see its hidden fields."""
    return or_(Document.secrecy == Secrecy.NORMAL, _cleared(clearance))


def cleared_by_id(clearance, document_id):
    """SQL for a select over another table holding the document's id: the user is cleared for it."""
    return select(Document.id).where(Document.id == document_id, _cleared(clearance)).exists()


def readable_by_id(clearance, document_id, secrecy):
    """The same rule for a select over another table that holds the document's id and secrecy."""
    return or_(secrecy == Secrecy.NORMAL, cleared_by_id(clearance, document_id))


def readable_ids(user, documents):
    """The ids of these documents whose hidden fields the user may see, in one query whatever their number."""
    documents = [d for d in documents if d is not None]
    readable = {d.id for d in documents if not d.is_classified}
    classified = {d.id for d in documents if d.is_classified}
    if classified:
        readable |= set(db.session.scalars(select(Document.id).where(
            Document.id.in_(classified), _cleared(clearance_of(user)))))
    return readable


class Shown:
    """A document's fields as one reader may see them: the hidden ones replaced by the placeholder (the
    subject) or left blank. Templates and exports read these instead of the document's own fields."""

    def __init__(self, document, readable):
        self.document, self.readable = document, readable

    @property
    def subject(self):
        return self.document.subject if self.readable else placeholder(self.document.secrecy)

    @property
    def doc_number(self):
        return self.document.doc_number if self.readable else ""

    @property
    def addressed_to(self):
        return self.document.addressed_to if self.readable else ""

    def sender(self, locale="th"):
        """จาก: the unit of ours it came from, else the outside organisation."""
        if not self.readable:
            return ""
        return self.document.from_unit.name(locale) if self.document.from_unit else self.document.from_text


def shown_for(user, documents):
    """{document id: Shown} for a page of documents, in one query."""
    documents = [d for d in documents if d is not None]
    readable = readable_ids(user, documents)
    return {d.id: Shown(d, d.id in readable) for d in documents}
