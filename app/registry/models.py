"""Registers (ทะเบียนหนังสือรับ / ส่ง and separately counted series) and their gap-free numbers."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import BilingualName, table_args, utcnow
from app.extensions import db

NO_YEAR = 0  # the counter "year" of a register that never restarts


class Direction(StrEnum):
    RECEIVE = "receive"  # ทะเบียนหนังสือรับ
    SEND = "send"        # ทะเบียนหนังสือส่ง (and series such as คำสั่ง, ประกาศ, หนังสือเวียน)


class Register(BilingualName, db.Model):
    __tablename__ = "register"
    __table_args__ = table_args(UniqueConstraint("unit_id", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))           # receive, send, circular, order, ...
    direction: Mapped[str] = mapped_column(String(16))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(16), default="")  # ว for circulars: ลย 51001/ว 45
    document_type_id: Mapped[int | None] = mapped_column(ForeignKey("document_type.id"))  # a series' type
    yearly_reset: Mapped[bool] = mapped_column(default=True)  # the regulation: from 1 each calendar year
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit = relationship("Unit")
    document_type = relationship("DocumentType")


class RegisterCounter(db.Model):
    """The last number issued in a register for a year; locked FOR UPDATE by the registering transaction."""

    __tablename__ = "register_counter"
    __table_args__ = table_args(UniqueConstraint("register_id", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    year: Mapped[int]  # calendar year (CE), or NO_YEAR for a register that never restarts
    last_number: Mapped[int] = mapped_column(default=0)


class RegisterEntry(db.Model):
    """One number of a register, given to one document. Never deleted or reused; cancelling marks it."""

    __tablename__ = "register_entry"
    __table_args__ = table_args(UniqueConstraint("register_id", "year", "number"),
                                Index("ix_register_entry_register_document", "register_id", "document_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    year: Mapped[int]
    number: Mapped[int]
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action_taken: Mapped[str] = mapped_column(Text, default="")  # การปฏิบัติ
    remark: Mapped[str] = mapped_column(Text, default="")        # หมายเหตุ
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")

    register: Mapped[Register] = relationship()
    document = relationship("Document")
    created_by = relationship("User", foreign_keys=[created_by_id])
    registrations: Mapped[list["Registration"]] = relationship(back_populates="entry",
                                                               order_by="Registration.id")

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class Registration(db.Model):
    """Each time a document was registered under an entry (R16: a re-receipt keeps the number)."""

    __tablename__ = "registration"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entry.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    counterpart_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # sender / recipient unit
    counterpart_text: Mapped[str] = mapped_column(String(300), default="")         # ... or outside org

    entry: Mapped[RegisterEntry] = relationship(back_populates="registrations")
    by = relationship("User", foreign_keys=[by_id])
    acting_for = relationship("User", foreign_keys=[acting_for_id])
    counterpart_unit = relationship("Unit")
