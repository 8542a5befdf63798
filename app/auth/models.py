from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import table_args, utcnow
from app.extensions import db


class LoginAttempt(db.Model):
    """Every login try, kept for throttling and for the admin to see who tried what from where."""

    __tablename__ = "login_attempt"
    __table_args__ = table_args(Index("ix_login_attempt_username_at", "username", "at"),
                                Index("ix_login_attempt_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)
