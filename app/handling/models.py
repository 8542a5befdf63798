"""A document being worked on inside one unit (flows 2 and 3): who holds it, where it stands, and the notes
people write on it (instructions, progress, endorsements, signatures).

The workflow decides which step comes next; the status, responsible operator and current reviewer live
here so lists, search and dashboards never read workflow state.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db


class HandlingKind(StrEnum):
    INCOMING = "incoming"  # a registered letter the unit acts on (flow 2)
    OUTGOING = "outgoing"  # a letter the unit prepares and has signed before it leaves (flow 3)


class HandlingStatus(StrEnum):
    NEW = "new"                                # registered, waiting for the clerk to route it
    WITH_MANAGER = "with_manager"              # waiting for the manager's instruction (เกษียน)
    IN_PROGRESS = "in_progress"                # operators at work
    AWAITING_SIGNATURE = "awaiting_signature"  # proposed up the chain
    AWAITING_COSIGNATURE = "awaiting_cosignature"  # signed; its co-signers sign in turn, then it leaves
    SENT_BACK = "sent_back"                    # a reviewer sent it back with a comment
    DONE = "done"                              # finished without a signature; the clerk closes it
    SIGNED = "signed"                          # signed; the clerk closes or forwards it
    CLOSED = "closed"                          # R20: finished (ปิดงาน)
    FORWARDED = "forwarded"                    # passed on to other units
    DISPATCHED = "dispatched"                  # outgoing: numbered and sent after signature
    WITHDRAWN = "withdrawn"                    # outgoing: the proposer gave it up

    @property
    def is_finished(self):
        return self in (HandlingStatus.CLOSED, HandlingStatus.FORWARDED, HandlingStatus.DISPATCHED,
                        HandlingStatus.WITHDRAWN)


FINISHED = tuple(status.value for status in HandlingStatus if status.is_finished)


class Handling(db.Model):
    __tablename__ = "handling"
    __table_args__ = table_args(Index("ix_handling_unit_status", "unit_id", "status"),
                                Index("ix_handling_document_unit", "document_id", "unit_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"))  # how it reached the unit
    status: Mapped[str] = mapped_column(String(24))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # the operator at work
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))     # who must sign or endorse now
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    signed_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instance.id"))

    document = relationship("Document")
    unit = relationship("Unit")
    delivery = relationship("Delivery")
    responsible = relationship("User", foreign_keys=[responsible_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    signed_by = relationship("User", foreign_keys=[signed_by_id])
    notes: Mapped[list["HandlingNote"]] = relationship(back_populates="handling", order_by="HandlingNote.id")

    @property
    def is_finished(self):
        return HandlingStatus(self.status).is_finished


class NoteKind(StrEnum):
    NOTE = "note"                # the clerk's note when passing it to the manager
    INSTRUCTION = "instruction"  # เกษียนหนังสือ / คำสั่งการ
    ASSIGNMENT = "assignment"
    PROGRESS = "progress"        # R28
    PROPOSAL = "proposal"        # เสนอ
    ENDORSEMENT = "endorsement"  # เห็นควร, passed up the chain
    SIGNATURE = "signature"      # ลงนาม / อนุมัติ
    COSIGNATURE = "cosignature"  # ลงนามร่วม
    SENT_BACK = "sent_back"
    CLOSE = "close"
    FORWARD = "forward"
    WITHDRAWAL = "withdrawal"


class HandlingNote(db.Model):
    """What someone wrote at a step, shown on the document in order (the paper's margin notes)."""

    __tablename__ = "handling_note"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    handling_id: Mapped[int] = mapped_column(ForeignKey("handling.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    percent_done: Mapped[int | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # the operator or manager it went to
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # the signed copy of the letter's first page with this note stamped in its margin (app/letters/endorsements)
    stamped_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))

    handling: Mapped[Handling] = relationship(back_populates="notes")
    author = relationship("User", foreign_keys=[author_id])
    acting_for = relationship("User", foreign_keys=[acting_for_id])
    to_user = relationship("User", foreign_keys=[to_user_id])
    stamped_attachment = relationship("Attachment")
