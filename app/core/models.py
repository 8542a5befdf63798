"""Pieces every feature's models share, and the audit trail."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

# Thai text sorts and compares with tone marks kept distinct (ปา ≠ ป่า) under utf8mb4_general_ci; the
# unicode_ci collations ignore them at the primary level.
MYSQL_TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_general_ci",
                       "mysql_engine": "InnoDB"}


def table_args(*constraints):
    """`__table_args__` for a model: its constraints and indexes plus the MySQL table options."""
    return (*constraints, MYSQL_TABLE_OPTIONS)


class BilingualName:
    """A record named in Thai and, optionally, English: shown in the user's language, Thai as fallback."""

    def name(self, locale="th"):
        return self.name_en if locale == "en" and self.name_en else self.name_th


class ListItem(BilingualName):
    """A row of an admin-edited list (types, categories, methods): ordered, and deactivated, never deleted."""

    name_en: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)


_clock = ContextVar("clock", default=None)


def utcnow():
    """Naive UTC, the form every DateTime column stores (MariaDB DATETIME has no time zone)."""
    return _clock.get() or datetime.now(timezone.utc).replace(tzinfo=None)


@contextmanager
def clock_at(moment):
    """Inside the block `utcnow()` answers `moment` (naive UTC): the demo letters (app/org/demo_letters.py) go
    through the real services on the past working days they are dated, so every time stored by a service,
    a column default or the audit trail is the one a real clerk would have made."""
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


def insert_if_missing(session, table, values):
    """INSERT a row unless one with the same unique key exists, as one statement.

    Catching the duplicate-key error instead would leave the loser of a race holding a shared lock on the
    winner's row, and two such losers then deadlock on SELECT ... FOR UPDATE. ON DUPLICATE KEY UPDATE takes
    the exclusive lock straight away, so the loser simply waits for the winner.
    """
    if session.get_bind().dialect.name == "sqlite":  # SQLite locks the whole file: no race to lose
        statement = sqlite.insert(table).values(values).on_conflict_do_nothing()
    else:
        primary = next(iter(table.primary_key.columns))  # a no-op update of the key itself
        statement = mysql.insert(table).values(values).on_duplicate_key_update({primary.name: primary})
    session.execute(statement)


class AuditEvent(db.Model):
    """Who did what to which record, when, acting for whom, from where. Rows are only ever added."""

    __tablename__ = "audit_event"
    __table_args__ = table_args(Index("ix_audit_event_subject", "subject_type", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    request_id: Mapped[str] = mapped_column(String(32), default="")
    # Hash chain: each row's hash covers its content and the previous row's hash (`flask audit verify`).
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    row_hash: Mapped[str] = mapped_column(String(64), default="")


class AuditChainHead(db.Model):
    """One row: the last event of the chain. Locked FOR UPDATE while an event is appended, so concurrent
    transactions extend the chain one after the other instead of forking it."""

    __tablename__ = "audit_chain_head"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")
