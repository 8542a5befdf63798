"""Files attached to documents (R10, R35). Content lives outside the database, addressed by SHA-256."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db


class Attachment(db.Model):
    __tablename__ = "attachment"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # the unit that attached it owns it (R10)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))  # the version it replaced
    frozen_at: Mapped[datetime | None]  # a signer signed the letter with this file: it never changes again

    document = relationship("Document")
    unit = relationship("Unit")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
