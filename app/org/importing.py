"""Importing the org chart from a CSV file (code,parent_code,kind,name_th,name_en,letter_code).

The whole file is checked before anything is written: one bad line and nothing changes. Existing units (by
code) are renamed or moved; new ones are created. Parents may appear after their children in the file.
"""
import csv
import io

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l
from app.core.text import clean_line
from app.org import queries, services
from app.org.models import UnitKind

COLUMNS = ("code", "parent_code", "kind", "name_th", "name_en", "letter_code")


def parse_units_csv(text):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel saves UTF-8 with a BOM
    missing = [c for c in ("code", "kind", "name_th") if c not in (reader.fieldnames or [])]
    if missing:
        raise BusinessRuleError(_l("The CSV file lacks the columns: %(columns)s", columns=", ".join(missing)))
    rows = []
    for line_number, row in enumerate(reader, start=2):
        # the same cleaning as the forms: a name pasted into Excel brings its invisible characters along
        row = {column: clean_line(row.get(column) or "").strip() for column in COLUMNS}
        row["code"] = row["code"].lower()
        row["parent_code"] = row["parent_code"].lower()
        row["line"] = line_number
        rows.append(row)
    return rows


def import_units(actor, rows):
    """Returns (created, updated) counts."""
    _validate(rows)
    created = updated = 0
    for row in _parents_first(rows):
        parent = queries.unit_by_code(row["parent_code"]) if row["parent_code"] else None
        unit = queries.unit_by_code(row["code"])
        if unit is None:
            services.create_unit(actor, code=row["code"], kind=row["kind"], name_th=row["name_th"],
                                 name_en=row["name_en"], letter_code=row["letter_code"], parent=parent)
            created += 1
            continue
        services.update_unit(actor, unit, name_th=row["name_th"], name_en=row["name_en"],
                             letter_code=row["letter_code"], kind=row["kind"])
        if unit.parent_id != (parent.id if parent else None):
            services.move_unit(actor, unit, parent)
        updated += 1
    return created, updated


def _validate(rows):
    codes_in_file = set()
    kinds = {k.value for k in UnitKind}
    for row in rows:
        problem = None
        if not services.UNIT_CODE_PATTERN.match(row["code"]):
            problem = _l("the code must be lower-case English letters, digits, '.', '_' or '-'")
        elif row["code"] in codes_in_file:
            problem = _l("the code appears twice in the file")
        elif row["kind"] not in kinds:
            problem = _l("the kind must be one of %(kinds)s", kinds=", ".join(sorted(kinds)))
        elif not row["name_th"]:
            problem = _l("the Thai name is empty")
        if problem:
            raise BusinessRuleError(_l("Line %(line)d: %(problem)s", line=row["line"], problem=problem))
        codes_in_file.add(row["code"])
    for row in rows:
        parent = row["parent_code"]
        if parent and parent not in codes_in_file and queries.unit_by_code(parent) is None:
            raise BusinessRuleError(_l("Line %(line)d: the parent unit %(code)s does not exist",
                                       line=row["line"], code=parent))


def _parents_first(rows):
    by_code = {row["code"]: row for row in rows}
    ordered, placed = [], set()

    def place(row, trail):
        if row["code"] in placed:
            return
        if row["code"] in trail:
            raise BusinessRuleError(_l("Line %(line)d: the units form a loop", line=row["line"]))
        parent_row = by_code.get(row["parent_code"])
        if parent_row is not None:
            place(parent_row, trail | {row["code"]})
        ordered.append(row)
        placed.add(row["code"])

    for row in rows:
        place(row, frozenset())
    return ordered
