"""Letters written in the system (E-Form, R36): a letter is the content of an outgoing document, kept as
numbered revisions so reviewers see what changed and what the signer signed stays as it was. A signed
letter is corrected by a new revision that is signed again: each signed revision keeps its own PDF and
verify code, and the latest signed one is the letter in force.

A revision's fields are stored as JSON text (what the author typed, keyed by `kinds.Field`); the
document keeps the fields registers and search read (subject, to, reference, enclosures, speed, secrecy).
"""
import json
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import table_args, utcnow
from app.extensions import db
from app.letters.kinds import COSIGNERS

COSIGNER_FIELD_PREFIX = "cosigner-"  # the PDF's signature field of the n-th co-signer: cosigner-1, cosigner-2


class Letter(db.Model):
    __tablename__ = "letter"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document = relationship("Document")
    revisions: Mapped[list["LetterRevision"]] = relationship(back_populates="letter",
                                                             order_by="LetterRevision.number")
    signatures: Mapped[list["LetterSignature"]] = relationship(back_populates="letter",
                                                               order_by="LetterSignature.id")

    @property
    def current(self):
        return self.revisions[-1]

    @property
    def is_signed(self):
        """The current revision is signed: nothing waits to be signed."""
        return self.current.is_signed

    @property
    def signed_revision(self):
        """The latest signed revision: the letter in force (a correction waiting for its signature does not
        replace it until signed)."""
        return next((revision for revision in reversed(self.revisions) if revision.is_signed), None)

    @property
    def signed_revisions(self):
        return [revision for revision in self.revisions if revision.is_signed]

    @property
    def is_correction(self):
        """The current revision corrects a letter already signed: it needs its own signature."""
        return not self.is_signed and self.signed_revision is not None

    @property
    def awaits_cosignatures(self):
        """Signed by the signer, with co-signers still to sign before it leaves."""
        return self.is_signed and bool(self.current.pending_cosigner_ids)

    @property
    def verify_code(self):
        return self.signed_revision.verify_code if self.signed_revision else None

    @property
    def signed_attachment(self):
        return self.signed_revision.signed_attachment if self.signed_revision else None


class LetterRevision(db.Model):
    __tablename__ = "letter_revision"
    __table_args__ = table_args(UniqueConstraint("letter_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id"))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    circular: Mapped[bool] = mapped_column(Boolean, default=False)  # หนังสือเวียน: the ว series
    subject: Mapped[str] = mapped_column(String(500))
    fields_json: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")  # why this revision was made
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[datetime | None]  # a revision a signer signed
    verify_code: Mapped[str | None] = mapped_column(String(16), unique=True)  # /verify/<code>, once signed
    signed_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))

    letter: Mapped[Letter] = relationship(back_populates="revisions")
    author = relationship("User")
    signed_attachment = relationship("Attachment")
    signatures: Mapped[list["LetterSignature"]] = relationship(order_by="LetterSignature.id",
                                                               viewonly=True)

    @property
    def is_signed(self):
        return self.signed_at is not None

    @property
    def fields(self):
        return json.loads(self.fields_json)

    @property
    def cosigner_ids(self):
        """Who signs after the signer, in signing order (app.letters.kinds.COSIGNERS)."""
        return list(self.fields.get(COSIGNERS) or [])

    @property
    def pending_cosigner_ids(self):
        """The co-signers who have not signed this revision yet, in order; the first is the next to sign."""
        signed = {signature.signer_id for signature in self.signatures if signature.field_name.startswith(
            COSIGNER_FIELD_PREFIX)}
        return [user_id for user_id in self.cosigner_ids if user_id not in signed]

    @fields.setter
    def fields(self, values):
        self.fields_json = json.dumps(values, ensure_ascii=False, sort_keys=True)


class LetterSignature(db.Model):
    """One signature applied to a letter's PDF: the signer's, a co-signer's, or the seal's."""

    __tablename__ = "letter_signature"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("letter_revision.id"))
    signer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    field_name: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    letter: Mapped[Letter] = relationship(back_populates="signatures")
    signer = relationship("User", foreign_keys=[signer_id])


class LetterTemplate(db.Model):
    """A filled letter an admin saved for a unit to start from (a yearly budget request, say)."""

    __tablename__ = "letter_template"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(500), default="")
    fields_json: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(default=True)

    unit = relationship("Unit")

    @property
    def fields(self):
        return json.loads(self.fields_json)


class Letterhead(db.Model):
    """The organisation's letterhead settings: one row."""

    __tablename__ = "letterhead"
    __table_args__ = table_args()

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    fax: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    font_family: Mapped[str] = mapped_column(String(100), default="Laksaman")
    thai_digits: Mapped[bool] = mapped_column(default=True)
    buddhist_era: Mapped[bool] = mapped_column(default=True)
    garuda_sha256: Mapped[str | None] = mapped_column(String(64))  # the official emblem the admin uploaded
    garuda_content_type: Mapped[str | None] = mapped_column(String(64))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
