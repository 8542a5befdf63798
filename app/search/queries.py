"""Searching documents (R25–R27, R32, R34): one select over the search rows of the units the user may see.

Subject words are found in two ways, chosen per word from how common its bigrams are:
- a rare word (a place, a name) is looked up in the bigram index: the documents holding its three rarest
  bigrams are intersected, then the subject is checked with LIKE, so only a few thousand rows are read;
- a common word (its rarest bigrams meet in more than RARE_WORD_LIMIT documents) is checked with LIKE on
  an ordered scan of the unit's rows, which fills a page of 50 after a few thousand rows.
Other conditions are B-tree ranges on the unit's rows. docs/search.md gives the figures behind the choice.
"""
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from app.core.messages import lazy_gettext as _l
from app.core.thai_dates import local_midnight_utc, today_local
from app.documents import access, classified
from app.documents.models import Document
from app.extensions import db
from app.search.criteria import CriteriaError
from app.search.models import OPEN_STATUSES, SearchEntry as E, SearchGram
from app.search.text import bigrams, normal_form, query_words

PAGE_SIZE = 50
COUNT_LIMIT = 10_000     # beyond it the page says "more than 10,000": counting on costs without telling more
EXPORT_LIMIT = 50_000
RARE_WORD_LIMIT = 5000    # a word whose rarest bigrams meet in at most this many documents is rare ...
GRAM_SCAN_LIMIT = 25_000  # ... and read through them if its rarest bigram is in at most this many
GRAMS_INTERSECTED = 3
GRAM_FREQUENCY_SECONDS = 3600
_gram_frequencies = {}    # bigram -> (documents, when counted), in this process
SORT_COLUMNS = {
    "register": (E.year, E.reg_number),
    "received": (E.year, E.received_at),
    "doc_number": (E.doc_number_key,),
    "dated": (E.dated,),
    "subject": (E.subject_sort,),
}
HIDDEN_SORTS = frozenset({"doc_number", "subject"})  # sort keys made of fields a classified row may hide
BY_DOCUMENT_INDEX = "uq_search_entry_document_id_unit_id"
WHOLE_TABLE_INDEXES = {"register": "ix_search_entry_year_register",
                       "received": "ix_search_entry_year_received"}


@dataclass(frozen=True)
class Hit:
    entry: E
    document: Document
    content_visible: bool


@dataclass(frozen=True)
class SearchPage:
    hits: list
    total: int
    page: int
    page_size: int = PAGE_SIZE
    more: bool = False  # more hits than `total`, which stopped at COUNT_LIMIT

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class Scope:
    """The units searched, and what clears the user to read classified rows (documents.classified)."""
    unit_ids: tuple
    clearance: classified.Clearance

    @property
    def all_readable(self):
        """A row's own unit concerns its document, so every row of a unit that clears the user is readable;
        when every unit searched does, sorts keep to their indexes."""
        return set(self.unit_ids) <= self.clearance.unit_ids

    @property
    def readable(self):
        """SQL: the row's hidden fields may be shown, by documents.classified's rule."""
        cleared = self.clearance.unit_ids
        if self.all_readable:
            return true()
        return or_(E.secrecy == "normal", E.unit_id.in_(cleared or {0}),
                   classified.cleared_by_id(self.clearance, E.document_id))


def searchable_units(user):
    return access.overseen_unit_ids(user)


def scope_for(user, criteria):
    allowed = searchable_units(user)
    unit_ids = tuple(sorted(allowed if criteria.all_units else criteria.unit_ids or {user.unit_id}))
    if not set(unit_ids) <= allowed:
        raise CriteriaError(_l("You may search only the units you work for or oversee."))
    return Scope(unit_ids, classified.clearance_of(user))


def search(user, criteria, *, today=None):
    """A page of hits, sorted as asked, with the number of hits (counted up to COUNT_LIMIT)."""
    scope = scope_for(user, criteria)
    plan = conditions(scope, criteria, today or today_local(criteria.timezone_name))
    if plan is None:
        return SearchPage([], 0, criteria.page)
    counted = _hinted(select(E.document_id).where(*plan.where), plan.index).limit(COUNT_LIMIT + 1)
    total = db.session.scalar(select(func.count()).select_from(counted.subquery()))
    rows = db.session.execute(ordered(plan, criteria, scope).options(selectinload(E.unit))
                              .limit(PAGE_SIZE).offset((criteria.page - 1) * PAGE_SIZE)).all()
    return SearchPage(hits(rows), min(total, COUNT_LIMIT), criteria.page, more=total > COUNT_LIMIT)


def export_rows(user, criteria, *, today=None, chunk=1000):
    """Every hit, in order, up to EXPORT_LIMIT: lists of Hit a chunk at a time. The criteria are checked
    now (a unit the user may not search is refused before the download starts), the rows read as they
    are written out."""
    scope = scope_for(user, criteria)
    plan = conditions(scope, criteria, today or today_local(criteria.timezone_name))
    if plan is None:
        return iter(())
    return _chunks(ordered(plan, criteria, scope).options(selectinload(E.unit)), chunk)


def _chunks(query, chunk):
    for offset in range(0, EXPORT_LIMIT, chunk):
        rows = db.session.execute(query.limit(chunk).offset(offset)).all()
        if not rows:
            return
        chunk_hits = hits(rows)
        yield chunk_hits
        for hit in chunk_hits:  # keep memory flat; the user and the units stay in the session
            db.session.expunge(hit.entry)
            db.session.expunge(hit.document)


def ordered(plan, criteria, scope):
    """(entry, readable) rows in the order asked. Over several units, a scan of the words' LIKE in that order
    goes through the index of the whole table when there is one: the per-unit indexes would have to collect
    every hit of every unit and sort them to find the first 50.

    Sorted by a field a classified row may hide, the rows the user may not read sort by
    classified.HIDDEN_SORT_KEY, all alike (issue 12 item 4): their real subject or number must not place
    them. That order is sorted rather than read from the index; where every row is readable it stays index
    order."""
    readable = scope.readable
    columns = SORT_COLUMNS[criteria.sort]
    if criteria.sort in HIDDEN_SORTS and not scope.all_readable:
        columns = tuple(case((readable, column), else_=classified.HIDDEN_SORT_KEY) for column in columns)
    # Ties broken by the rest of the primary key, which every secondary index ends in, so the whole ORDER BY
    # is index order.
    columns += (E.unit_id, E.document_id)
    query = select(E, readable.label("readable")).where(*plan.where).order_by(
        *(column.desc() if criteria.descending else column.asc() for column in columns))
    if plan.index is None and plan.scans_with_like and plan.units > 1:
        return _hinted(query, WHOLE_TABLE_INDEXES.get(criteria.sort))
    return _hinted(query, plan.index)


def _hinted(query, index):
    """MariaDB/MySQL told which index to read: with long IN lists their estimates give up (past
    eq_range_index_dive_limit ranges) and they have been seen to scan the whole table instead."""
    if index is None:
        return query
    for dialect in ("mysql", "mariadb"):
        query = query.with_hint(E, f"FORCE INDEX ({index})", dialect)
    return query


def hits(rows):
    """Hits from (entry, readable) rows, readable worked out by the SQL that chose and sorted them."""
    documents = {d.id: d for d in db.session.scalars(
        select(Document).where(Document.id.in_({entry.document_id for entry, _ in rows}))
        .options(selectinload(Document.owner_unit), selectinload(Document.from_unit),
                 selectinload(Document.type)))}
    return [Hit(entry, documents[entry.document_id], bool(readable)) for entry, readable in rows]


# ---- the WHERE clause --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    where: list
    units: int
    scans_with_like: bool  # subject words with no rare bigram: checked row by row
    index: str | None = None  # the rows of the rare words' documents are read by document


def conditions(scope, criteria, today):
    """The SQL conditions and how they will be read, or None when the subject words cannot match."""
    where = [E.unit_id == scope.unit_ids[0] if len(scope.unit_ids) == 1 else E.unit_id.in_(scope.unit_ids)]
    if criteria.year is not None:
        where.append(E.year == criteria.year)
    where += _ranges(criteria)
    if criteria.statuses:
        where.append(or_(*(_status(code, today) for code in criteria.statuses)))
    if criteria.speeds:
        where.append(E.speed.in_(criteria.speeds))
    if criteria.secrecies:
        where.append(E.secrecy.in_(criteria.secrecies))
    simple = criteria.conditions()
    groups = [(*simple, *group) for group in criteria.groups] or [simple]
    candidates = _text_candidates(groups)
    if candidates == set():
        return None
    if candidates is not None:
        where.append(E.document_id.in_(sorted(candidates)))
    expressions = [and_(*(_condition(c, scope, today) for c in group)) for group in groups if group]
    if expressions:
        where.append(or_(*expressions))
    has_words = any(c.field == "subject" for group in groups for c in group)
    return Plan(where, len(scope.unit_ids), scans_with_like=has_words and candidates is None,
                index=BY_DOCUMENT_INDEX if candidates is not None else None)


def _ranges(criteria):
    ranges = []
    if criteria.dated_from:
        ranges.append(E.dated >= criteria.dated_from)
    if criteria.dated_to:
        ranges.append(E.dated <= criteria.dated_to)
    if criteria.received_from:
        ranges.append(E.received_at >= local_midnight_utc(criteria.received_from, criteria.timezone_name))
    if criteria.received_to:
        ranges.append(E.received_at < local_midnight_utc(criteria.received_to + timedelta(days=1),
                                                         criteria.timezone_name))
    return ranges


def _status(code, today):
    if code == "overdue":
        return and_(E.status.in_(OPEN_STATUSES), E.due_date < today)
    return E.status == code


def _condition(condition, scope, today):
    field, value = condition.field, condition.value
    if field == "subject":
        clause = and_(*(E.subject_key.contains(word, autoescape=True) for word in query_words(value)))
    elif field == "doc_number":
        clause = E.doc_number_key.contains(normal_form(value), autoescape=True)
    elif field == "from":
        clause = E.from_key.contains(normal_form(value), autoescape=True)
    elif field == "to":
        clause = E.to_key.contains(normal_form(value), autoescape=True)
    else:
        return {"reg_number": lambda: E.reg_number == value, "type": lambda: E.type_id == value,
                "category": lambda: E.category_id == value, "owner_unit": lambda: E.owner_unit_id == value,
                "status": lambda: _status(value, today), "speed": lambda: E.speed == value,
                "secrecy": lambda: E.secrecy == value}[field]()
    # Hidden fields of a classified document match only where the user may read them, so a search cannot
    # tell them what a hidden subject says.
    return and_(clause, scope.readable)


# ---- subject words through the bigram index -----------------------------------------------------------

def _text_candidates(groups):
    """Documents that can hold the subject words: the union over OR-groups of the intersection over each
    group's rare words; None when some group has no rare word (its rows are checked by LIKE alone)."""
    union = set()
    for group in groups:
        words = [w for c in group if c.field == "subject" for w in query_words(c.value)]
        group_candidates = None
        for word in words:
            found = _documents_with(word)
            if found is not None:
                group_candidates = found if group_candidates is None else group_candidates & found
        if group_candidates is None:
            return None
        union |= group_candidates
    return union


def _documents_with(word):
    """The documents holding the word's three rarest bigrams (a superset of those holding the word, which
    LIKE then checks), or None when the word is better read by LIKE: its rarest bigram is too common to
    read through, or more than RARE_WORD_LIMIT documents hold all three."""
    grams = bigrams(word)
    if not grams:
        return None
    frequency = {gram: _gram_frequency(gram) for gram in grams}
    rarest = sorted(grams, key=frequency.get)[:GRAMS_INTERSECTED]
    if frequency[rarest[0]] > GRAM_SCAN_LIMIT:
        return None
    first, *others = [aliased(SearchGram) for _ in rarest]
    query = select(first.document_id).where(first.gram == rarest[0])
    for alias, gram in zip(others, rarest[1:]):
        query = query.join(alias, and_(alias.gram == gram, alias.document_id == first.document_id))
    found = set(db.session.scalars(query.limit(RARE_WORD_LIMIT + 1)))
    return None if len(found) > RARE_WORD_LIMIT else found


def _gram_frequency(gram):
    """How many documents hold the bigram, counted up to GRAM_SCAN_LIMIT + 1 and kept for an hour in this
    process: it only chooses the cheaper way to read, never what is found, so an old figure is harmless."""
    cached = _gram_frequencies.get(gram)
    now = time.monotonic()
    if cached is not None and now - cached[1] < GRAM_FREQUENCY_SECONDS:
        return cached[0]
    capped = (select(SearchGram.document_id).where(SearchGram.gram == gram)
              .limit(GRAM_SCAN_LIMIT + 1).subquery())
    count = db.session.scalar(select(func.count()).select_from(capped))
    _gram_frequencies[gram] = (count, now)
    return count
