"""Documents (R9, R11, R12, R21, R22, R31) and the lists that describe them."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import ListItem, table_args, utcnow
from app.extensions import db


class TypeGroup(StrEnum):
    """The regulation's six kinds of official letter (ระเบียบงานสารบรรณ ข้อ 9), plus circulars."""
    EXTERNAL = "external"                # หนังสือภายนอก
    INTERNAL = "internal"                # หนังสือภายใน (บันทึกข้อความ)
    STAMPED = "stamped"                  # หนังสือประทับตรา
    DIRECTIVE = "directive"              # หนังสือสั่งการ: คำสั่ง ระเบียบ ข้อบังคับ
    PUBLIC_RELATIONS = "public_relations"  # หนังสือประชาสัมพันธ์: ประกาศ แถลงการณ์ ข่าว
    OFFICIAL_RECORD = "official_record"  # หนังสือที่เจ้าหน้าที่ทำขึ้น: บันทึก หนังสือรับรอง ...
    CIRCULAR = "circular"                # หนังสือเวียน (numbered with the ว prefix)


class Secrecy(StrEnum):
    NORMAL = "normal"          # ปกติ
    CONFIDENTIAL = "confidential"  # ลับ
    SECRET = "secret"          # ลับมาก
    TOP_SECRET = "top_secret"  # ลับที่สุด

    @property
    def is_classified(self):
        return self is not Secrecy.NORMAL


class Speed(StrEnum):
    NORMAL = "normal"            # ปกติ
    URGENT = "urgent"            # ด่วน
    VERY_URGENT = "very_urgent"  # ด่วนมาก
    MOST_URGENT = "most_urgent"  # ด่วนที่สุด


class DocumentType(ListItem, db.Model):
    __tablename__ = "document_type"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    group: Mapped[str] = mapped_column(String(24))
    name_th: Mapped[str] = mapped_column(String(200))
    # The flows its documents follow, by key (app/workflow/definitions.py); each new instance takes that
    # flow's current version (issue 16 item 2).
    delivery_flow: Mapped[str] = mapped_column(String(64), default="delivery", server_default="delivery")
    handling_flow: Mapped[str] = mapped_column(String(64), default="handling", server_default="handling")
    outgoing_flow: Mapped[str] = mapped_column(String(64), default="outgoing", server_default="outgoing")
    # What a new document of the type starts with; the clerk may change each (issue 16 item 2).
    default_speed: Mapped[str] = mapped_column(String(16), default="normal", server_default="normal")
    default_secrecy: Mapped[str] = mapped_column(String(16), default="normal", server_default="normal")
    default_due_days: Mapped[int | None]  # due so many days after the document is written or registered


class Category(ListItem, db.Model):
    """หมวด: how a unit files its documents."""

    __tablename__ = "category"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(String(200), unique=True)


class DeliveryMethod(ListItem, db.Model):
    """วิธีรับส่ง: ระบบ, ไปรษณีย์, EMS, โทรสาร, อีเมล, ส่งด้วยตนเอง, ..."""

    __tablename__ = "delivery_method"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))


class Document(db.Model):
    __tablename__ = "document"
    __table_args__ = table_args(Index("ix_document_owner_created", "owner_unit_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    type_id: Mapped[int] = mapped_column(ForeignKey("document_type.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    delivery_method_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_method.id"))
    doc_number: Mapped[str] = mapped_column(String(100), default="")     # ที่
    dated: Mapped[date | None]                                            # ลงวันที่
    subject: Mapped[str] = mapped_column(String(500))                     # เรื่อง
    addressed_to: Mapped[str] = mapped_column(String(500), default="")    # เรียน / ถึง
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # จาก (a unit of ours) ...
    from_text: Mapped[str] = mapped_column(String(300), default="")       # ... or an outside organisation
    reference: Mapped[str] = mapped_column(Text, default="")              # อ้างถึง
    enclosures: Mapped[str] = mapped_column(Text, default="")             # สิ่งที่ส่งมาด้วย
    secrecy: Mapped[str] = mapped_column(String(16), default=Secrecy.NORMAL)
    speed: Mapped[str] = mapped_column(String(16), default=Speed.NORMAL)
    due_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_sent_at: Mapped[datetime | None]  # set once it leaves its unit; a never-sent draft may be deleted
    deleted_at: Mapped[datetime | None]

    owner_unit = relationship("Unit", foreign_keys=[owner_unit_id])
    from_unit = relationship("Unit", foreign_keys=[from_unit_id])
    type: Mapped[DocumentType] = relationship()
    category: Mapped[Category | None] = relationship()
    delivery_method: Mapped[DeliveryMethod | None] = relationship()
    recipients: Mapped[list["DocumentRecipient"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentRecipient.id")
    operators: Mapped[list["DocumentOperator"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentOperator.id")
    due_date_changes: Mapped[list["DueDateChange"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DueDateChange.id")

    @property
    def is_classified(self):
        return Secrecy(self.secrecy).is_classified


class DocumentRecipient(db.Model):
    """เรียน/ถึง as routing sees it: a unit of ours, or an outside organisation named in text."""

    __tablename__ = "document_recipient"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    name_text: Mapped[str] = mapped_column(String(300), default="")

    document: Mapped[Document] = relationship(back_populates="recipients")
    unit = relationship("Unit")


class DocumentOperator(db.Model):
    """ผู้ปฏิบัติงาน assigned to work on a document."""

    __tablename__ = "document_operator"
    __table_args__ = table_args(UniqueConstraint("document_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    document: Mapped[Document] = relationship(back_populates="operators")
    user = relationship("User", foreign_keys=[user_id])


class DueDateChange(db.Model):
    """R31: every change of a due date, with the old one and the reason."""

    __tablename__ = "due_date_change"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    old_due_date: Mapped[date | None]
    new_due_date: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(500), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="due_date_changes")
    changed_by = relationship("User", foreign_keys=[changed_by_id])
