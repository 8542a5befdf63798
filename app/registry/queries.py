"""Reading registers and their entries."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.registry.models import Register, RegisterEntry


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
