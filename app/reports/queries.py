"""Register reports (R17, R23): a register's numbers for one year, in the columns of the regulation's form.

The rows are the register itself, an official Thai record, so their text is Thai whatever the reader's
language: Buddhist Era dates, and the regulation's terms for cancelled numbers and secrecy classes.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.core.thai_dates import BUDDHIST_ERA_OFFSET, format_date, to_local
from app.documents import classified
from app.documents.access import can_see_content, working_unit_ids
from app.documents.models import Secrecy
from app.extensions import db
from app.org.models import Unit, User
from app.org.queries import holds_any_role
from app.registry.models import NO_YEAR, Direction, Register
from app.registry.queries import register_entries, years_in_use

COLUMNS = ("วันที่ลงทะเบียน", "เลขทะเบียน", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ",
           "หมายเหตุ")
ALL_YEARS = "ทุกปี"
SECRECY_NAMES = {Secrecy.CONFIDENTIAL: "ลับ", Secrecy.SECRET: "ลับมาก", Secrecy.TOP_SECRET: "ลับที่สุด"}
NOT_SHOWN = "(ไม่แสดง)"


@dataclass(frozen=True)
class ReportRow:
    registered_date: str  # 23 พ.ย. 2569
    registered_time: str  # 14:05 น.
    registered_by: str
    number: int
    doc_number: str
    dated: str
    sender: str
    recipient: str
    subject: str
    action_taken: str
    remarks: tuple[str, ...]
    cancelled: bool

    def cells(self):
        """The nine columns of the regulation's form, in order, as plain text."""
        registered = "\n".join(part for part in (
            f"{self.registered_date} {self.registered_time}".strip(), self.registered_by) if part)
        return (registered, self.number, self.doc_number, self.dated, self.sender, self.recipient,
                self.subject, self.action_taken, "\n".join(self.remarks))


@dataclass(frozen=True)
class RegisterReport:
    register_name: str
    unit_name: str
    period: str  # ปี พ.ศ. 2569, or ทุกปี for a register that never restarts
    year_label: str  # 2569 / ทุกปี
    rows: list[ReportRow]

    @property
    def title(self):
        return f"{self.register_name} {self.unit_name} {self.period}"


def reportable_registers(user):
    """The registers of the units the user works for; every register for an administrator."""
    query = (select(Register).join(Register.unit)
             .order_by(Unit.sort_order, Unit.id, Register.direction, Register.id))
    if not holds_any_role(user, ("admin",)):
        query = query.where(Register.unit_id.in_(working_unit_ids(user)))
    return db.session.scalars(query).all()


def may_open(user, register):
    return register.unit_id in working_unit_ids(user) or holds_any_role(user, ("admin",))


def report_years(register, current_year):
    """The years a report can be asked for (R32), newest first; a never-restarting register has one."""
    if not register.yearly_reset:
        return [NO_YEAR]
    return sorted(set(years_in_use(register)) | {current_year}, reverse=True)


def year_label(year):
    return ALL_YEARS if year == NO_YEAR else str(year + BUDDHIST_ERA_OFFSET)


def register_report(register, year, user):
    label = year_label(year)
    return RegisterReport(register_name=register.name_th, unit_name=register.unit.name_th,
                          period=label if year == NO_YEAR else f"ปี พ.ศ. {label}", year_label=label,
                          rows=register_report_rows(register, year, user))


def register_report_rows(register, year, user):
    """Every number of the register in `year`, in order, cancelled ones included."""
    entries = register_entries(register, year)
    named = _load_people_and_units(entries)  # noqa: F841  held so the session keeps them while rows are built
    if register.unit_id in working_unit_ids(user):
        # A numbered document concerns its register's unit, so the user may know of each of them; which
        # they may read is documents.classified's rule, asked once for the whole year.
        readable = classified.readable_ids(
            user, [entry.document for entry in entries if entry.document.deleted_at is None])
        return [_row(register, entry, entry.document_id in readable) for entry in entries]
    return [_row(register, entry, can_see_content(user, entry.document)) for entry in entries]


def _row(register, entry, shows_content):
    document = entry.document
    date, time = _date_and_time(entry.created_at)
    sender, recipient = _parties(register, entry, shows_content)
    return ReportRow(
        registered_date=date, registered_time=time, registered_by=_name(entry.created_by),
        number=entry.number, doc_number=document.doc_number if shows_content else "",
        dated=format_date(document.dated, "th"),
        sender=sender, recipient=recipient,
        subject=document.subject if shows_content else _hidden_subject(document),
        action_taken=entry.action_taken if shows_content else "",
        remarks=_remarks(entry, shows_content), cancelled=entry.is_cancelled)


def _hidden_subject(document):
    secrecy = SECRECY_NAMES.get(Secrecy(document.secrecy))
    return f"({secrecy})" if secrecy else NOT_SHOWN


def _remarks(entry, shows_content):
    remarks = [entry.remark] if shows_content and entry.remark else []
    if entry.is_cancelled:
        remarks.append(f"ยกเลิก: {entry.cancel_reason}")
    for registration in entry.registrations[1:]:  # R16: received again under the same number
        date, time = _date_and_time(registration.at)
        parts = ("ลงทะเบียนซ้ำ", date, time, _name(registration.by))
        remarks.append(" ".join(part for part in parts if part))
    return tuple(remarks)


def _parties(register, entry, shows_content):
    """จาก and ถึง: the outside party and the register's own unit, in the direction of the register; the
    outside party is one of the fields a classified document hides (documents.classified)."""
    own_unit = register.unit.name_th
    if register.direction == Direction.RECEIVE:
        return (_sender(entry) or _counterpart(entry)) if shows_content else "", own_unit
    return own_unit, (_recipients(entry.document) or _counterpart(entry)) if shows_content else ""


def _sender(entry):
    document = entry.document
    return document.from_text or (document.from_unit.name_th if document.from_unit else "")


def _recipients(document):
    if document.addressed_to:
        return document.addressed_to
    return ", ".join(r.unit.name_th if r.unit else r.name_text for r in document.recipients)


def _counterpart(entry):
    """Who the letter came from or went to as registered, when the document itself does not say."""
    if not entry.registrations:
        return ""
    first = entry.registrations[0]
    return first.counterpart_unit.name_th if first.counterpart_unit else first.counterpart_text


def _date_and_time(at):
    if at is None:
        return "", ""
    local = to_local(at, current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return format_date(local, "th"), f"{local:%H:%M} น."


def _name(user):
    return user.display_name("th") if user is not None else ""


def _load_people_and_units(entries):
    """The users and units the rows name, in two queries: the rows then find them in the session instead
    of loading them one by one."""
    user_ids, unit_ids = set(), set()
    for entry in entries:
        user_ids.add(entry.created_by_id)
        unit_ids.add(entry.document.from_unit_id)
        for registration in entry.registrations:
            user_ids.add(registration.by_id)
            unit_ids.add(registration.counterpart_unit_id)
    return [item for model, ids in ((User, user_ids - {None}), (Unit, unit_ids - {None})) if ids
            for item in db.session.scalars(select(model).where(model.id.in_(ids)))]
