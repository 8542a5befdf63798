"""Deliveries: a document travelling from one unit to another (R8, R14, R15, R18, R19)."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db


class DeliveryStatus(StrEnum):
    SENT = "sent"              # arrived, not opened yet: highlighted as new (R19)
    READ = "read"              # a clerk of the receiving unit opened it (R14)
    REGISTERED = "registered"  # ลงรับ: holds a receive number (R15, R16)
    RETURNED = "returned"      # ตีกลับ with a note (R19)
    RECALLED = "recalled"      # ดึงกลับ by the sender before registration (R18)


class Delivery(db.Model):
    __tablename__ = "delivery"
    __table_args__ = table_args(Index("ix_delivery_to_unit_status", "to_unit_id", "status"),
                                Index("ix_delivery_from_unit_sent", "from_unit_id", "sent_at"),
                                Index("ix_delivery_from_unit_status", "from_unit_id", "status"),
                                Index("ix_delivery_to_unit_registered", "to_unit_id", "registered_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"))  # forwarded on from this one
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.SENT)
    note: Mapped[str] = mapped_column(Text, default="")  # the sender's instruction or note
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    read_at: Mapped[datetime | None]
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    registered_at: Mapped[datetime | None]
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    register_entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entry.id"))
    returned_at: Mapped[datetime | None]
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    return_note: Mapped[str] = mapped_column(Text, default="")
    recalled_at: Mapped[datetime | None]
    recalled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instance.id"))

    document = relationship("Document")
    from_unit = relationship("Unit", foreign_keys=[from_unit_id])
    to_unit = relationship("Unit", foreign_keys=[to_unit_id])
    sent_by = relationship("User", foreign_keys=[sent_by_id])
    register_entry = relationship("RegisterEntry")


class DistributionList(db.Model):
    """A unit's saved list of recipient units (e.g. every division, for a หนังสือเวียน)."""

    __tablename__ = "distribution_list"
    __table_args__ = table_args(UniqueConstraint("unit_id", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list["DistributionListMember"]] = relationship(
        cascade="all, delete-orphan", order_by="DistributionListMember.id")


class DistributionListMember(db.Model):
    __tablename__ = "distribution_list_member"
    __table_args__ = table_args(UniqueConstraint("list_id", "unit_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("distribution_list.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))

    unit = relationship("Unit")
