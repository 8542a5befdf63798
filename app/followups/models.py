"""R30: the documents a person follows, apart from everything else they can see."""
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db


class Follow(db.Model):
    __tablename__ = "follow"
    __table_args__ = table_args(UniqueConstraint("user_id", "document_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document = relationship("Document")
