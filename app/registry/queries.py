"""Reading registers and their entries."""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.registry.models import NO_YEAR, Register, RegisterCounter, RegisterEntry

STANDARD_REGISTER_CODES = {"receive": "receive", "send": "send"}  # direction -> code of the unit's main one


def register_by_code(unit, code):
    return db.session.scalar(select(Register).where(Register.unit_id == unit.id, Register.code == code))


def series_register(unit, document_type):
    if document_type is None:
        return None
    return db.session.scalar(select(Register).where(
        Register.unit_id == unit.id, Register.document_type_id == document_type.id,
        Register.is_active.is_(True)).order_by(Register.id).limit(1))


def registers_of_unit(unit):
    return db.session.scalars(select(Register).where(Register.unit_id == unit.id)
                              .order_by(Register.direction, Register.id)).all()


def active_entry(register, document):
    return db.session.scalar(select(RegisterEntry).where(
        RegisterEntry.register_id == register.id, RegisterEntry.document_id == document.id,
        RegisterEntry.cancelled_at.is_(None)).order_by(RegisterEntry.id).limit(1))


def entries_of_document(document):
    """Every number the document holds in any register, with its registrations, oldest first."""
    return db.session.scalars(
        select(RegisterEntry).where(RegisterEntry.document_id == document.id)
        .options(selectinload(RegisterEntry.registrations), selectinload(RegisterEntry.register))
        .order_by(RegisterEntry.id)).all()


def register_entries(register, year):
    """A register's page for one year, in number order, cancelled numbers included."""
    return db.session.scalars(
        select(RegisterEntry).where(RegisterEntry.register_id == register.id, RegisterEntry.year == year)
        .options(selectinload(RegisterEntry.registrations), selectinload(RegisterEntry.document))
        .order_by(RegisterEntry.number)).all()


def years_in_use(register):
    return db.session.scalars(select(RegisterEntry.year).where(RegisterEntry.register_id == register.id)
                              .distinct().order_by(RegisterEntry.year.desc())).all()


def missing_standard_registers(unit, registers):
    """The directions whose main register the unit does not have yet (they are made on first use)."""
    codes = {register.code for register in registers}
    return [direction for direction, code in STANDARD_REGISTER_CODES.items() if code not in codes]


def is_standard(register):
    return register.code in STANDARD_REGISTER_CODES.values()


def counter_year(register, year):
    return year if register.yearly_reset else NO_YEAR


def last_numbers(registers, year):
    """{register id: the last number issued in `year`} (all time for a register that never restarts)."""
    return {register.id: db.session.scalar(select(RegisterCounter.last_number).where(
        RegisterCounter.register_id == register.id,
        RegisterCounter.year == counter_year(register, year))) or 0 for register in registers}


def highest_issued_number(register, year):
    return db.session.scalar(select(func.max(RegisterEntry.number)).where(
        RegisterEntry.register_id == register.id, RegisterEntry.year == counter_year(register, year))) or 0


def holds_number(document, direction=None):
    """Whether the document holds a number (not cancelled) in any register, or in one of that direction."""
    query = select(RegisterEntry.id).join(Register).where(RegisterEntry.document_id == document.id,
                                                          RegisterEntry.cancelled_at.is_(None))
    if direction is not None:
        query = query.where(Register.direction == direction)
    return db.session.scalar(query.limit(1)) is not None
