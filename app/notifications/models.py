"""Notices to people (R3): the in-app list, and the outbox of LINE pushes that carries them to phones.

A notice and its push row are written in the transaction of the action that causes them; a job sends the
push after commit and a periodic sweep re-sends anything still pending, so nothing is lost when Redis or a
worker goes away. Each push has its own `X-Line-Retry-Key`, so a retried request is accepted at most once.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db


class Event(StrEnum):
    ARRIVAL = "arrival"            # a delivery reached the unit: its registry clerks
    ASSIGNMENT = "assignment"      # work given to an operator
    INSTRUCTION = "instruction"    # a letter passed to a manager for instructions
    SIGN_REQUEST = "sign_request"  # a proposal waiting for a manager's signature
    SENT_BACK = "sent_back"        # a reviewer sent the work back
    RETURNED = "returned"          # the recipient returned a delivery: the sender
    RECALLED = "recalled"          # the sender recalled a delivery: the recipient's clerks
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    LINE_PAUSED = "line_paused"    # to admins: LINE stopped sending (monthly limit, bad token)


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = table_args(Index("ix_notification_user_unread", "user_id", "read_at"),
                                UniqueConstraint("dedupe_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    event: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"))
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    text: Mapped[str] = mapped_column(String(500), default="")  # a note, a reason, an admin message
    dedupe_key: Mapped[str | None] = mapped_column(String(100))  # for notices a sweep may raise again
    push_id: Mapped[int | None] = mapped_column(ForeignKey("line_push.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    document = relationship("Document")
    from_unit = relationship("Unit")


class PushStatus(StrEnum):
    PENDING = "pending"    # waiting for its time (grouping window) or for the channel to resume
    RETRYING = "retrying"  # LINE answered 5xx or did not answer; tried again with the same retry key
    SENT = "sent"          # accepted by LINE (200, or 409: accepted before)
    FAILED = "failed"      # refused (4xx) or retries ran out; an admin may resend
    SKIPPED = "skipped"    # nobody to send to (the account was unlinked meanwhile)


OPEN_PUSH = (PushStatus.PENDING.value, PushStatus.RETRYING.value)


class LinePush(db.Model):
    """One push request to one LINE user, carrying up to five notices."""

    __tablename__ = "line_push"
    __table_args__ = table_args(Index("ix_line_push_due", "status", "due_at"),
                                Index("ix_line_push_user_status", "user_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=PushStatus.PENDING)
    urgent: Mapped[bool] = mapped_column(default=False)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)  # not before (grouping) / next retry
    attempts: Mapped[int] = mapped_column(default=0)  # requests started (marked before LINE is called)
    # A request went out and no definite answer came back: LINE may hold it under this retry key.
    outcome_unknown: Mapped[bool] = mapped_column(default=False)
    message_count: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    key_created_at: Mapped[datetime] = mapped_column(default=utcnow)  # LINE keeps a retry key 24 hours
    sent_at: Mapped[datetime | None]

    user = relationship("User")
    notifications: Mapped[list[Notification]] = relationship(order_by="Notification.id")


class LineAccount(db.Model):
    """A user's linked LINE account (confirmed by LINE's accountLink event)."""

    __tablename__ = "line_account"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class LineLinkRequest(db.Model):
    """One account-link attempt, from the link token LINE issued for one LINE user to the link itself.

    Written when the app asks LINE for the token (that LINE user wrote to the official account), so the
    link page can name the LINE account it would link and refuse a token the app never asked for. The
    logged-in user who confirms gets a nonce; LINE's accountLink event must bring back that nonce from
    that LINE user, once, in time (issue 12 item 8).
    """

    __tablename__ = "line_link_request"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    link_token: Mapped[str] = mapped_column(String(128), unique=True)
    line_user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100), default="")  # from LINE's profile, if it answered
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # who confirmed, once someone has
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]


class LineWebhookEvent(db.Model):
    """Webhook events already handled, by LINE's webhookEventId: a redelivered event is ignored."""

    __tablename__ = "line_webhook_event"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class LineChannel(db.Model):
    """The one row saying whether LINE sending is paused, why and until when."""

    __tablename__ = "line_channel"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    paused_reason: Mapped[str] = mapped_column(String(32), default="")  # "", monthly_limit, bad_token
    paused_until: Mapped[datetime | None]  # None with a reason: until the token works again
    paused_at: Mapped[datetime | None]
