"""Issuing register numbers: gap-free, never duplicated, never reused (R9, R15-R17, R23, R24).

A counter row per (register, year) is locked FOR UPDATE inside the registering transaction, and a unique
key on (register, year, number) backs it up: a rolled-back request consumes nothing.
"""
import re

from flask import current_app, has_app_context
from sqlalchemy import select

from app.core import audit
from app.core.errors import BusinessRuleError, required_thai_name
from app.core.messages import lazy_gettext as _l
from app.core.models import insert_if_missing, utcnow
from app.core.thai_dates import to_local
from app.documents import permissions
from app.extensions import db
from app.registry import queries
from app.registry.models import Direction, Register, RegisterCounter, RegisterEntry, Registration

DEFAULT_REGISTERS = {
    Direction.RECEIVE: (queries.STANDARD_REGISTER_CODES["receive"], "ทะเบียนหนังสือรับ", "Receive register"),
    Direction.SEND: (queries.STANDARD_REGISTER_CODES["send"], "ทะเบียนหนังสือส่ง", "Send register"),
}
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


def create_register(actor, *, unit, code, direction, name_th, name_en="", prefix="", document_type=None,
                    yearly_reset=True):
    if direction not in {d.value for d in Direction}:
        raise BusinessRuleError(_l("Unknown register direction: %(direction)s", direction=direction))
    code = code.strip().lower()
    if not CODE_PATTERN.match(code):
        raise BusinessRuleError(_l("A register code uses lower-case English letters, digits, '.', '_' or '-'."))
    if queries.register_by_code(unit, code) is not None:
        raise BusinessRuleError(_l("This unit already has a register with the code %(code)s.", code=code))
    if document_type is not None and queries.series_register(unit, document_type) is not None:
        raise BusinessRuleError(_l("This unit already counts %(type)s in a series of its own.",
                                   type=document_type.name_th))
    register = Register(unit_id=unit.id, code=code, direction=direction, name_th=name_th.strip(),
                        name_en=name_en.strip(), prefix=prefix.strip(), document_type=document_type,
                        yearly_reset=yearly_reset)
    db.session.add(register)
    db.session.flush()
    audit.record(actor, "register.create", "register", register.id, unit=unit.code, code=code,
                 direction=direction, prefix=register.prefix)
    return register


def default_register(unit, direction):
    """The unit's main receive or send register, created the first time it is needed."""
    code, name_th, name_en = DEFAULT_REGISTERS[Direction(direction)]
    register = queries.register_by_code(unit, code)
    if register is None:
        insert_if_missing(db.session, Register.__table__, {
            "unit_id": unit.id, "code": code, "direction": direction, "name_th": name_th, "name_en": name_en,
            "prefix": "", "yearly_reset": True, "is_active": True, "created_at": utcnow()})
        register = queries.register_by_code(unit, code)
    return register


def send_register_for(unit, document_type):
    """A series counted apart for this document type (คำสั่ง, หนังสือเวียน, ...), else the send register."""
    return queries.series_register(unit, document_type) or default_register(unit, Direction.SEND)


def issue_number(actor, register, document, *, at=None, counterpart_unit=None, counterpart_text=""):
    """Register `document` in `register` and return its entry.

    R16: if the document already holds a (not cancelled) number in this register, it keeps it; the new
    registration is recorded beside the earlier ones.
    """
    if not register.is_active:
        raise BusinessRuleError(_l("This register is closed."))
    at = at or utcnow()
    entry = queries.active_entry(register, document)
    again = entry is not None
    if not again:
        year = queries.counter_year(register, local_year(at))
        counter = _locked_counter(register, year)
        counter.last_number += 1
        entry = RegisterEntry(register_id=register.id, year=year, number=counter.last_number,
                              document_id=document.id, created_at=at, created_by_id=actor.user_id)
        db.session.add(entry)
    registration = Registration(entry=entry, at=at, by_id=actor.user_id,
                                acting_for_id=actor.acting_for.id if actor.acting_for else None,
                                counterpart_unit_id=counterpart_unit.id if counterpart_unit else None,
                                counterpart_text=counterpart_text)
    db.session.add(registration)
    db.session.flush()
    audit.record(actor, "register.number", "document", document.id, register=register.id, year=entry.year,
                 number=entry.number, again=again)
    return entry


def _locked_counter(register, year):
    condition = (RegisterCounter.register_id == register.id) & (RegisterCounter.year == year)
    if db.session.scalar(select(RegisterCounter.id).where(condition)) is None:
        # No locking read before the insert: two "SELECT ... FOR UPDATE" misses would deadlock on the gap.
        insert_if_missing(db.session, RegisterCounter.__table__,
                          {"register_id": register.id, "year": year, "last_number": 0})
    return db.session.scalar(select(RegisterCounter).where(condition).with_for_update()
                             .execution_options(populate_existing=True))


def cancel_number(actor, entry, reason):
    """The number stays in the register, marked cancelled; it is never given out again."""
    permissions.require(permissions.may_cancel_entry(actor.user, entry), actor)
    reason = (reason or "").strip()
    if not reason:
        raise BusinessRuleError(_l("Give the reason for cancelling the number."))
    if entry.is_cancelled:
        raise BusinessRuleError(_l("This number is already cancelled."))
    entry.cancelled_at, entry.cancelled_by_id, entry.cancel_reason = utcnow(), actor.user_id, reason
    db.session.flush()
    audit.record(actor, "register.cancel", "document", entry.document_id, register=entry.register_id,
                 year=entry.year, number=entry.number, reason=reason)
    return entry


def set_starting_number(actor, register, *, year, first_number):
    """For a mid-year go-live: the next number issued in `year` will be `first_number`."""
    if first_number < 1:
        raise BusinessRuleError(_l("The starting number must be 1 or more."))
    year = queries.counter_year(register, year)
    counter = _locked_counter(register, year)
    issued = queries.highest_issued_number(register, year)
    if first_number <= issued:  # a starting number typed wrong may be lowered while nothing was issued
        raise BusinessRuleError(_l("Number %(number)d has already been issued; the register can only move "
                                   "forward.", number=issued))
    counter.last_number = first_number - 1
    db.session.flush()
    audit.record(actor, "register.start_number", "register", register.id, year=year, first_number=first_number)
    return counter


def update_entry_notes(actor, entry, *, action_taken, remark):
    entry.action_taken, entry.remark = action_taken.strip(), remark.strip()
    db.session.flush()
    audit.record(actor, "register.notes", "document", entry.document_id, register=entry.register_id,
                 number=entry.number)
    return entry


def local_date(at_utc):
    timezone_name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else "Asia/Bangkok"
    return to_local(at_utc, timezone_name).date()


def local_year(at_utc):
    return local_date(at_utc).year


def outgoing_document_number(register, entry):
    """ลย 51001/123, or ลย 51001/ว 45 for a series with a prefix (หนังสือเวียน)."""
    prefix = f"{register.prefix} " if register.prefix else ""
    return f"{register.unit.letter_code}/{prefix}{entry.number}"


def create_standard_registers(actor, unit):
    """The unit's main receive and send registers, made now rather than at the first letter."""
    if not unit.is_active:
        raise BusinessRuleError(_l("This unit is inactive."))
    missing = queries.missing_standard_registers(unit, queries.registers_of_unit(unit))
    registers = [default_register(unit, direction) for direction in Direction]
    audit.record(actor, "register.create_standard", "unit", unit.id, directions=missing)
    return registers


def update_register(actor, register, *, name_th, name_en, prefix):
    before = {"name_th": register.name_th, "name_en": register.name_en, "prefix": register.prefix}
    register.name_th, register.name_en = required_thai_name(name_th), name_en.strip()
    register.prefix = prefix.strip()
    db.session.flush()
    audit.record(actor, "register.update", "register", register.id, before=before,
                 after={"name_th": register.name_th, "name_en": register.name_en, "prefix": register.prefix})
    return register


def set_register_active(actor, register, active):
    """A closed series hands its type back to the send register; the main registers always stay open."""
    if not active and queries.is_standard(register):
        raise BusinessRuleError(_l("A unit's main receive and send registers cannot be closed."))
    register.is_active = active
    db.session.flush()
    audit.record(actor, "register.activate" if active else "register.deactivate", "register", register.id)
    return register
