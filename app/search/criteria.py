"""What a search asks for, read from the query string of the search page (so a search can be bookmarked,
shared and exported as it is).

Simple fields are all required together (AND). The advanced rows are conditions joined by AND or OR as the
user picks them; AND binds tighter, as people read "A and B or C" as "(A and B) or C", so the rows become
OR-ed groups of AND-ed conditions.
"""
from dataclasses import dataclass, field
from datetime import date

from app.core.date_input import DateInputError, parse_date_input
from app.core.messages import lazy_gettext as _l
from app.core.thai_dates import today_local
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from app.search.labels import FIELD_LABELS, SORT_LABELS, STATUS_LABELS

CODED_FIELDS = {"status": STATUS_LABELS, "speed": SPEED_LABELS, "secrecy": SECRECY_LABELS}
ID_FIELDS = ("type", "category")
TEXT_FIELDS = ("subject", "doc_number", "from", "to")
MAX_ROWS = 10
MAX_TEXT = 200


class CriteriaError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    field: str
    value: object  # str for text fields, int for numbers and ids, a code for coded fields


@dataclass(frozen=True)
class SearchCriteria:
    text: str = ""                               # words that must all be in the subject
    unit_ids: tuple = ()                         # () = the user's own unit; checked against what they see
    all_units: bool = False                      # every unit the user may see
    year: int | None = None                      # CE; None = every year (R32)
    doc_number: str = ""
    reg_number: int | None = None
    from_text: str = ""
    to_text: str = ""
    dated_from: date | None = None
    dated_to: date | None = None
    received_from: date | None = None
    received_to: date | None = None
    type_id: int | None = None
    category_id: int | None = None
    owner_unit_id: int | None = None
    statuses: tuple = ()                         # any of them (a code of STATUS_LABELS)
    speeds: tuple = ()
    secrecies: tuple = ()
    groups: tuple = ()                           # advanced: OR of AND-groups of Condition
    sort: str = "register"
    descending: bool = True
    page: int = 1
    timezone_name: str = "Asia/Bangkok"

    @property
    def uses_more_fields(self):
        """Any field besides the words, the units and the year: the page opens that part of the form."""
        return any((self.doc_number, self.reg_number, self.from_text, self.to_text, self.dated_from,
                    self.dated_to, self.received_from, self.received_to, self.type_id, self.category_id,
                    self.owner_unit_id, self.statuses, self.speeds, self.secrecies))

    def conditions(self):
        """The simple fields as conditions, all of which must hold."""
        simple = [Condition("subject", self.text), Condition("doc_number", self.doc_number),
                  Condition("reg_number", self.reg_number), Condition("from", self.from_text),
                  Condition("to", self.to_text), Condition("type", self.type_id),
                  Condition("category", self.category_id), Condition("owner_unit", self.owner_unit_id)]
        return [c for c in simple if c.value not in ("", None)]


@dataclass
class ParsedSearch:
    criteria: SearchCriteria
    errors: list = field(default_factory=list)


def parse(args, *, this_year, timezone_name="Asia/Bangkok"):
    """SearchCriteria from request args (a MultiDict), and the messages for what could not be read."""
    errors, today = [], today_local(timezone_name)

    def text(name):
        value = " ".join((args.get(name) or "").split())
        if len(value) > MAX_TEXT:
            errors.append(_l("%(field)s is longer than %(max)d characters.", field=name, max=MAX_TEXT))
            return ""
        return value

    criteria = SearchCriteria(
        text=text("q"), unit_ids=tuple(_ints([u for u in args.getlist("unit") if u != "all"], errors)),
        all_units="all" in args.getlist("unit"), year=_year(args.get("year"), this_year, errors),
        doc_number=text("doc_number"), reg_number=_int(args.get("reg_number"), _l("Register number"), errors),
        from_text=text("from"), to_text=text("to"),
        dated_from=_date(args.get("dated_from"), errors, today), dated_to=_date(args.get("dated_to"), errors, today),
        received_from=_date(args.get("received_from"), errors, today),
        received_to=_date(args.get("received_to"), errors, today),
        type_id=_int(args.get("type"), _l("Document type"), errors),
        category_id=_int(args.get("category"), _l("Category"), errors),
        owner_unit_id=_int(args.get("owner_unit"), _l("Owning unit"), errors),
        statuses=_codes(args.getlist("status"), STATUS_LABELS, errors),
        speeds=_codes(args.getlist("speed"), SPEED_LABELS, errors),
        secrecies=_codes(args.getlist("secrecy"), SECRECY_LABELS, errors),
        groups=_groups(args, errors),
        sort=args.get("sort") if args.get("sort") in SORT_LABELS else "register",
        descending=args.get("dir", "desc") != "asc",
        page=max(1, _int(args.get("page"), _l("Page"), errors) or 1), timezone_name=timezone_name)
    ranges = ((criteria.dated_from, criteria.dated_to), (criteria.received_from, criteria.received_to))
    for low, high in ranges:
        if low and high and low > high:
            errors.append(_l("The start of a date range is after its end."))
    return ParsedSearch(criteria, errors)


def _groups(args, errors):
    """The advanced rows: c (field), v (value) and, before every row but the first, j (and/or)."""
    fields, values, joiners = args.getlist("c"), args.getlist("v"), args.getlist("j")
    groups, current = [], []
    for index, (name, raw) in enumerate(zip(fields, values)):
        if index >= MAX_ROWS:
            errors.append(_l("A search has at most %(max)d condition rows.", max=MAX_ROWS))
            break
        raw = " ".join(raw.split())
        if not raw:
            continue
        condition = _condition(name, raw, errors)
        if condition is None:
            continue
        if current and index > 0 and index - 1 < len(joiners) and joiners[index - 1] == "or":
            groups.append(tuple(current))
            current = []
        current.append(condition)
    if current:
        groups.append(tuple(current))
    return tuple(groups)


def _condition(name, raw, errors):
    if name in TEXT_FIELDS:
        return Condition(name, raw[:MAX_TEXT])
    if name == "reg_number" or name in ID_FIELDS:
        number = _int(raw, FIELD_LABELS.get(name, name), errors)
        return None if number is None else Condition(name, number)
    if name in CODED_FIELDS:
        codes = _codes([raw], CODED_FIELDS[name], errors)
        return Condition(name, codes[0]) if codes else None
    errors.append(_l("Unknown search field: %(field)s", field=name))
    return None


def _codes(raw_values, labels, errors):
    """Codes as sent by the form, or a label typed by hand (ด่วนที่สุด, Overdue)."""
    by_label = {str(label).casefold(): code for code, label in labels.items()}
    codes = []
    for raw in raw_values:
        raw = raw.strip()
        code = raw if raw in labels else by_label.get(raw.casefold()) or next(
            (c for label, c in by_label.items() if raw and raw.casefold() in label), None)
        if code is None:
            errors.append(_l("Unknown value: %(value)s", value=raw))
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _year(raw, this_year, errors):
    """The current year unless asked otherwise; "all" for every year; a BE year (2568) is understood too."""
    if raw in (None, ""):
        return this_year
    if raw == "all":
        return None
    year = _int(raw, _l("Year"), errors)
    if year is None:
        return this_year
    return year - 543 if year > 2400 else year


def _int(raw, label, errors):
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        errors.append(_l("%(field)s must be a whole number.", field=label))
        return None
    return int(raw)


def _ints(raw_values, errors):
    return [number for raw in raw_values if (number := _int(raw, _l("Unit"), errors)) is not None]


def _date(raw, errors, today):
    """A date as Thai clerks type it (28/11/2569, ๒๘ พ.ย. ๒๕๖๙) or as a bookmarked search has it (2026-11-28)."""
    try:
        return parse_date_input(raw, today=today)
    except DateInputError as error:
        errors.append(error.message)
        return None
