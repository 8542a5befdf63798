from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
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


class RevokedSession(db.Model):
    """A session ended by logging out: its cookie, replayed, no longer logs anyone in.

    Only the key of the session that logged out is revoked, so the same user's other devices stay logged
    in (a password change ends those through `user.session_version`). A row is needed only while the old
    cookie could still pass the idle timeout, so rows older than that are deleted (see `end_session`).
    """

    __tablename__ = "revoked_session"
    __table_args__ = table_args(Index("ix_revoked_session_revoked_at", "revoked_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)
